"""The help desk: tickets and their threads, the help centre's articles, and the guided
troubleshooter's runs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dropline.customers.models import CustomerAccount
from dropline.field.models import Appointment

# ---------------------------------------------------------------------------- tickets


class TicketCategory(models.TextChoices):
    INTERNET = "internet", _("Internet")
    TV = "tv", _("TV")
    MOBILE = "mobile", _("Mobile")
    BILLING = "billing", _("Billing")
    EQUIPMENT = "equipment", _("Equipment")
    OTHER = "other", _("Something else")


class ServiceLevel(models.Model):
    """How soon the provider answers a ticket of one category, which sets its due time."""

    category = models.CharField(
        _("category"), max_length=16, choices=TicketCategory.choices, unique=True
    )
    response_hours = models.PositiveSmallIntegerField(_("answer within (hours)"))

    class Meta:
        ordering = ["category"]
        verbose_name = _("service level")
        verbose_name_plural = _("service levels")

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.response_hours} h"


class TicketStatus(models.TextChoices):
    OPEN = "open", _("Waiting for us")
    ANSWERED = "answered", _("Waiting for you")
    CLOSED = "closed", _("Closed")
    MERGED = "merged", _("Merged")


class Ticket(models.Model):
    """A customer's request for help, with its thread of messages."""

    number = models.CharField(_("ticket number"), max_length=20, unique=True)
    account = models.ForeignKey(CustomerAccount, on_delete=models.PROTECT, related_name="tickets")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    category = models.CharField(_("category"), max_length=16, choices=TicketCategory.choices)
    subject = models.CharField(_("subject"), max_length=120)
    status = models.CharField(
        _("status"), max_length=10, choices=TicketStatus.choices, default=TicketStatus.OPEN
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_tickets",
        verbose_name=_("assigned to"),
    )
    # When the provider owes an answer: from the category's service level, moved on by
    # every customer message while the ticket waits for the provider; empty otherwise.
    due_at = models.DateTimeField(_("answer due"), null=True, blank=True)
    created_at = models.DateTimeField(_("opened"))
    updated_at = models.DateTimeField(_("updated"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_tickets",
        verbose_name=_("merged into"),
    )
    appointment = models.ForeignKey(
        Appointment,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets",
        verbose_name=_("technician visit"),
    )
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    rating_comment = models.CharField(_("rating comment"), max_length=500, blank=True)
    rated_at = models.DateTimeField(_("rated"), null=True, blank=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        indexes = [
            models.Index(fields=["account", "-updated_at"], name="ticket_account_updated"),
            models.Index(fields=["status", "due_at"], name="ticket_status_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="ticket_rating_range",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class TicketMessage(models.Model):
    """One message in a ticket's thread. An internal note (``internal``) is staff-only:
    no customer page, API answer or notification ever shows it."""

    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_staff = models.BooleanField(default=False)
    internal = models.BooleanField(_("internal note"), default=False)
    body = models.TextField(_("message"), max_length=5000)
    created_at = models.DateTimeField(_("sent"))

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("ticket message")
        verbose_name_plural = _("ticket messages")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(internal=False) | models.Q(from_staff=True),
                name="ticket_message_internal_staff_only",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ticket} {self.created_at:%Y-%m-%d %H:%M}"


class TicketAttachment(models.Model):
    """A file given with a message, checked by content and kept outside the web root under a
    random key (the same rules as a dispute's)."""

    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="attachments")
    message = models.ForeignKey(TicketMessage, on_delete=models.PROTECT, related_name="attachments")
    original_name = models.CharField(_("file name"), max_length=120)
    content_type = models.CharField(_("type"), max_length=40)
    size = models.BigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    storage_key = models.CharField(_("storage key"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("uploaded"))

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("ticket attachment")
        verbose_name_plural = _("ticket attachments")

    def __str__(self) -> str:
        return self.original_name


class SavedReply(models.Model):
    """A reply staff reuse, in one language."""

    title = models.CharField(_("title"), max_length=120)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    body = models.TextField(_("reply"), max_length=5000)
    is_active = models.BooleanField(_("in use"), default=True)
    updated_at = models.DateTimeField(_("updated"))

    class Meta:
        ordering = ["title", "language"]
        verbose_name = _("saved reply")
        verbose_name_plural = _("saved replies")

    def __str__(self) -> str:
        return self.title


# ---------------------------------------------------------------------------- help centre


class HelpTopic(models.TextChoices):
    SIGNING_IN = "signing_in", _("Signing in and security")
    BILLING = "billing", _("Bills")
    PAYMENTS = "payments", _("Payments and autopay")
    USAGE = "usage", _("Data usage")
    INTERNET = "internet", _("Internet and Wi-Fi")
    TV = "tv", _("TV")
    EQUIPMENT = "equipment", _("Equipment")
    ACCOUNT = "account", _("Your account and moving")
    APPOINTMENTS = "appointments", _("Technician visits")


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Article(models.Model):
    """A help article in one language. Staff edit the draft (``title``, ``summary``,
    ``body``, Markdown); publishing copies it to the ``published_*`` fields, which are all
    that customers read and search. The same ``slug`` names an article in every language."""

    slug = models.SlugField(_("address"), max_length=80)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    topic = models.CharField(_("topic"), max_length=16, choices=HelpTopic.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=100)
    title = models.CharField(_("title"), max_length=160)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    body = models.TextField(_("text (Markdown)"), max_length=50000)
    status = models.CharField(
        _("status"), max_length=10, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT
    )
    published_title = models.CharField(max_length=160, blank=True)
    published_summary = models.CharField(max_length=300, blank=True)
    published_body = models.TextField(blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    related = models.ManyToManyField(
        "self", symmetrical=False, blank=True, verbose_name=_("related articles")
    )
    helpful_count = models.PositiveIntegerField(default=0)
    not_helpful_count = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(_("updated"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["topic", "position", "slug"]
        verbose_name = _("help article")
        verbose_name_plural = _("help articles")
        constraints = [
            models.UniqueConstraint(fields=["slug", "language"], name="article_slug_language"),
        ]
        indexes = [models.Index(fields=["language", "status"], name="article_language_status")]
        permissions = [("publish_article", "Can publish and withdraw help articles")]

    def __str__(self) -> str:
        return f"{self.title} ({self.language})"


class ArticleFeedback(models.Model):
    """One "was this helpful?" answer: one per article and voter (a person, or a browser's
    session for a visitor), changed in place if they answer again."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="feedback")
    voter_key = models.CharField(max_length=64)
    helpful = models.BooleanField()
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("article feedback")
        verbose_name_plural = _("article feedback")
        constraints = [
            models.UniqueConstraint(fields=["article", "voter_key"], name="article_feedback_once"),
        ]

    def __str__(self) -> str:
        return f"{self.article_id} {self.helpful}"


# ---------------------------------------------------------------------------- troubleshooter


class TroubleshootingProblem(models.TextChoices):
    INTERNET_DOWN = "internet_down", _("My internet is down")
    INTERNET_SLOW = "internet_slow", _("My internet is slow")
    TV_NO_PICTURE = "tv_no_picture", _("My TV has no picture")


class TroubleshootingOutcome(models.TextChoices):
    FIXED = "fixed", _("Fixed")
    OUTAGE = "outage", _("An outage")
    PAY_BILL = "pay_bill", _("Bill to pay")
    ARTICLE = "article", _("Sent to an article")
    VISIT = "visit", _("Visit booked")
    ABANDONED = "abandoned", _("Left unfinished")


class TroubleshootingRun(models.Model):
    """One customer's pass through the guided troubleshooter: the checks run, the answers
    given and how it ended. A visit booked at the end carries its steps."""

    account = models.ForeignKey(
        CustomerAccount, on_delete=models.CASCADE, related_name="troubleshooting_runs"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    problem = models.CharField(max_length=16, choices=TroubleshootingProblem.choices)
    # Each step taken, in order: {"step": ..., "at": ..., "result": ...}.
    steps = models.JSONField(default=list, blank=True)
    outcome = models.CharField(max_length=12, choices=TroubleshootingOutcome.choices, blank=True)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    appointment = models.ForeignKey(
        Appointment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("troubleshooting run")
        verbose_name_plural = _("troubleshooting runs")

    def __str__(self) -> str:
        return f"{self.account_id} {self.problem}"
