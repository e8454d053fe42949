"""Modules, ordered lessons, quizzes, and each learner's progress, attempts and completions."""

import datetime as dt
import re
import uuid

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

# Markdown images: ![alt](src). Alt text is what a screen reader says instead of the picture.
MARKDOWN_IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<src>[^)]*)\)")


class AudienceLevel(models.TextChoices):
    NEW = "new", "New to social media"
    INTERMEDIATE = "intermediate", "Some experience"
    ADVANCED = "advanced", "Experienced"


class Module(models.Model):
    """A short course. ``version`` rises with every substantive edit; completions keep theirs."""

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=400)
    platforms = models.JSONField(default=list, blank=True, help_text='Platforms covered, e.g. ["LinkedIn"].')
    audience_level = models.CharField(max_length=12, choices=AudienceLevel.choices, default=AudienceLevel.NEW)
    estimated_minutes = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    position = models.PositiveSmallIntegerField(default=0, help_text="Order on the learning page.")
    owner = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="owned_modules"
    )
    last_reviewed_on = models.DateField(default=timezone.localdate)
    review_interval_days = models.PositiveSmallIntegerField(default=180, validators=[MinValueValidator(1)])
    review_flagged_on = models.DateField(null=True, blank=True, help_text="When the owner was told it is due.")
    version = models.PositiveIntegerField(default=1)
    version_note = models.CharField(max_length=300, blank=True)
    pass_mark_percent = models.PositiveSmallIntegerField(
        default=80, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    is_published = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "title"]
        permissions = [("publish_module_version", "Can publish a new version of a module")]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    @property
    def review_due_on(self) -> dt.date:
        return self.last_reviewed_on + dt.timedelta(days=self.review_interval_days)

    def is_being_updated(self, today: dt.date | None = None) -> bool:
        """Past its review date: learners see "being updated" until the owner reviews it."""
        return self.review_due_on < (today or timezone.localdate())

    @property
    def estimated_hours(self) -> str:
        return f"{self.estimated_minutes / 60:.2f}".rstrip("0").rstrip(".")


class Lesson(models.Model):
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="lessons")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField(help_text="Markdown. Images need alt text: ![what the picture shows](/static/...).")
    has_privacy_practice = models.BooleanField(
        default=False, help_text="Show a practice box that runs the portal's privacy guard on typed text."
    )

    class Meta:
        ordering = ["module", "position"]
        constraints = [
            # Lessons are addressed by their position in the module's URLs.
            models.UniqueConstraint(fields=["module", "position"], name="lesson_unique_position"),
        ]

    def __str__(self) -> str:
        return f"{self.module.title}: {self.position}. {self.title}"

    def clean(self) -> None:
        for image in MARKDOWN_IMAGE.finditer(self.body or ""):
            if not image.group("alt").strip():
                raise ValidationError({"body": f"The image {image.group('src')} needs alt text: ![description](…)."})


class QuestionKind(models.TextChoices):
    SINGLE = "single", "Single choice"
    MULTIPLE = "multiple", "Multiple choice (select all that apply)"


class Question(models.Model):
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=400)
    kind = models.CharField(max_length=10, choices=QuestionKind.choices, default=QuestionKind.SINGLE)

    class Meta:
        ordering = ["module", "position", "id"]

    def __str__(self) -> str:
        return self.text


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(max_length=300)
    is_correct = models.BooleanField(default=False)
    feedback = models.CharField(max_length=400, help_text="Shown after the attempt when this answer was chosen.")

    class Meta:
        ordering = ["question", "id"]

    def __str__(self) -> str:
        return self.text


class LessonProgress(models.Model):
    """A lesson the clinician marked as read (for progress and "continue where you left off")."""

    clinician = models.ForeignKey("clinicians.Clinician", on_delete=models.CASCADE, related_name="lesson_progress")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="progress")
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["clinician", "lesson"], name="lessonprogress_unique")]

    def __str__(self) -> str:
        return f"{self.lesson} read by {self.clinician_id}"


class Attempt(models.Model):
    """One submitted quiz. Only its clinician sees it (learning.selectors.attempt_get)."""

    clinician = models.ForeignKey("clinicians.Clinician", on_delete=models.CASCADE, related_name="quiz_attempts")
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="attempts")
    module_version = models.PositiveIntegerField()
    score_percent = models.PositiveSmallIntegerField()
    passed = models.BooleanField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # A learner's attempts at one module, newest first (module page, result page).
            models.Index(fields=["clinician", "module", "-created_at"], name="attempt_clinician_module_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.module.title} v{self.module_version}: {self.score_percent}%"


class AttemptAnswer(models.Model):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    choices = models.ManyToManyField(Choice, blank=True, related_name="+")
    is_correct = models.BooleanField()

    def __str__(self) -> str:
        return f"{self.question}: {'right' if self.is_correct else 'missed'}"


class Completion(models.Model):
    """A module version passed. Once per clinician, module and version (the constraint closes the
    race of two quick submissions); the public id addresses the certificate."""

    clinician = models.ForeignKey("clinicians.Clinician", on_delete=models.CASCADE, related_name="completions")
    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="completions")
    module_version = models.PositiveIntegerField()
    attempt = models.OneToOneField(Attempt, on_delete=models.PROTECT, related_name="completion")
    completed_at = models.DateTimeField(default=timezone.now)
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    is_public = models.BooleanField(default=False, help_text="The clinician opted in to the verification page.")

    class Meta:
        ordering = ["-completed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["clinician", "module", "module_version"], name="completion_once_per_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.module.title} v{self.module_version} by {self.clinician_id}"
