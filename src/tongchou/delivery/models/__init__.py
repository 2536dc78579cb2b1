from tongchou.delivery.models.acceptance import Acceptance, CommitteeMember, CommitteeSeat, TrialRun
from tongchou.delivery.models.inventory import Deployment, InventorySystem, MigrationStatus, SystemStatus
from tongchou.delivery.models.operations import Handover, OMFundingRequest, OMRequestStatus
from tongchou.delivery.models.performance import (
    Dimension,
    Operator,
    PerformanceIndicator,
    PerformanceReport,
    ReviewStatus,
)
from tongchou.delivery.models.procurement import (
    Contract,
    ContractKind,
    ImplementationReport,
    Milestone,
    Procurement,
    ProcurementMethod,
    ReportKind,
)
from tongchou.delivery.models.security import (
    AssessmentResult,
    CryptoAssessment,
    CryptoReview,
    GradeAssessment,
    SecurityProfile,
)
from tongchou.delivery.models.supervision import (
    DataSharingAttestation,
    InspectionKind,
    RectificationOrder,
    RectificationStatus,
    SupervisoryInspection,
)

__all__ = [
    "Acceptance", "AssessmentResult", "CommitteeMember", "CommitteeSeat", "Contract", "ContractKind",
    "CryptoAssessment", "CryptoReview", "DataSharingAttestation", "Deployment", "Dimension", "GradeAssessment", "Handover",
    "ImplementationReport", "InspectionKind", "InventorySystem", "MigrationStatus", "Milestone",
    "OMFundingRequest", "OMRequestStatus", "Operator", "PerformanceIndicator", "PerformanceReport",
    "Procurement", "ProcurementMethod", "RectificationOrder", "RectificationStatus", "ReportKind", "ReviewStatus",
    "SecurityProfile", "SupervisoryInspection", "SystemStatus", "TrialRun",
]
