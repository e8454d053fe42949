"""App configuration for learning: modules, lessons, quizzes, completions and certificates."""

from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "learning"
    verbose_name = "Learning centre"
