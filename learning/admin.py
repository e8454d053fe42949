"""Admin for the learning centre: association admins author modules, lessons and quizzes, publish
new versions and mark modules reviewed. Completions are read-only (they carry credit)."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from learning import services
from learning.models import Choice, Completion, Lesson, Module, Question


class LessonInline(admin.StackedInline):
    model = Lesson
    extra = 0
    fields = ["position", "title", "body", "has_privacy_practice"]


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ["position", "text", "kind"]
    show_change_link = True


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 2
    fields = ["text", "is_correct", "feedback"]


@admin.register(Module)
class ModuleAdmin(admin.ModelAdmin):
    list_display = ["title", "version", "audience_level", "estimated_minutes", "owner", "review_due", "is_published"]
    list_filter = ["is_published", "audience_level"]
    search_fields = ["title", "slug", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["version", "version_note", "review_flagged_on"]
    inlines = [LessonInline, QuestionInline]
    actions = ["publish_new_version", "mark_reviewed"]

    @admin.display(description="review due")
    def review_due(self, module: Module) -> str:
        due = f"{module.review_due_on:%d %b %Y}"
        return f"{due} (being updated)" if module.is_being_updated() else due

    @admin.action(description="Publish a new version (a substantive edit; learners are told)", permissions=["publish"])
    def publish_new_version(self, request: HttpRequest, queryset: QuerySet[Module]) -> None:
        for module in queryset:
            module = services.module_publish_new_version(module=module, actor=request.user)
            messages.success(request, f"“{module.title}” is now version {module.version}.")

    @admin.action(description="Mark reviewed (nothing needed to change)", permissions=["change"])
    def mark_reviewed(self, request: HttpRequest, queryset: QuerySet[Module]) -> None:
        for module in queryset:
            services.module_mark_reviewed(module=module)
        messages.success(request, f"{queryset.count()} module(s) marked reviewed today.")

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("learning.publish_module_version")


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "module", "kind", "position"]
    list_filter = ["module"]
    inlines = [ChoiceInline]


@admin.register(Completion)
class CompletionAdmin(admin.ModelAdmin):
    list_display = ["module", "module_version", "clinician", "completed_at", "is_public"]
    list_filter = ["module"]
    list_select_related = ["module", "clinician"]
    readonly_fields = [f.name for f in Completion._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
