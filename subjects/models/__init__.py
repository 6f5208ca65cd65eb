"""Data subjects, organisations and the personal data the privacy statement names.

Each model with personal data carries its ``@personal_data`` declaration (see
``subjects.registry``): the one place that says why it is held, how long, and how it is
erased. Writes go through ``subjects.services``.
"""

from __future__ import annotations

from subjects.models.access_log import ReadEvent
from subjects.models.contact import (
    BrochureRequest,
    ContactMessage,
    Correspondence,
    StudyTripReferral,
    WebsiteVisit,
)
from subjects.models.finance import Invoice, SupplierDetails
from subjects.models.newsletter import (
    NewsletterLinkToken,
    NewsletterSubscription,
    SuppressedAddress,
)
from subjects.models.people import AuditEvent, DataSubject, Organisation, SubjectRole
from subjects.models.tools import CliftonStrengthsAccount, E2GrowAccount, ToolAccount
from subjects.models.trajectories import (
    ClientEvaluation,
    CoachingMonitorParticipation,
    CoachingNote,
    TraineeProfile,
    Trajectory,
    TrajectoryParticipant,
)

__all__ = [
    "AuditEvent", "BrochureRequest", "ClientEvaluation", "CliftonStrengthsAccount",
    "CoachingMonitorParticipation", "CoachingNote", "ContactMessage", "Correspondence",
    "DataSubject", "E2GrowAccount", "Invoice", "NewsletterLinkToken", "NewsletterSubscription",
    "Organisation", "ReadEvent", "StudyTripReferral", "SubjectRole", "SupplierDetails",
    "SuppressedAddress", "ToolAccount", "TraineeProfile", "Trajectory", "TrajectoryParticipant",
    "WebsiteVisit",
]  # fmt: skip
