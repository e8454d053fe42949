"""Template tags that show what a post earned on the campaigns app's pages, which cannot import the
incentives app (it sits above them): `{% load points %}{% points_explained activity as explained %}`."""

from django import template

from incentives.selectors import PointsExplanation, activity_points_explain

register = template.Library()


@register.simple_tag
def points_explained(activity) -> PointsExplanation:
    return activity_points_explain(activity=activity)
