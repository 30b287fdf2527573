import Vapor

/// One line per feature.
func routes(_ app: Application) throws {
    HomeController().register(app)
    AuthController().register(app)
    SetPasswordController().register(app)
    SecurityController().register(app)
    AccountsController().register(app)
    ApprovalController().register(app)
    UnitsController().register(app)
    AuditController().register(app)
    CalendarController().register(app)
    PublicWorkdaysController().register(app)
    LegalParametersController().register(app)
    CatalogsController().register(app)
    CasesController().register(app)
    CaseRecordsController().register(app)
    CaseAttachmentsController().register(app, maxUploadBytes: app.settings.maxUploadBytes)
    CorrectionQueueController().register(app)
    ProvisionalCourtsController().register(app)
    DebtorRegisterController().register(app)
    DebtorPublicController().register(app)
    WorkAndQualityController().register(app)
    ImportController().register(app, maxUploadBytes: app.settings.maxUploadBytes)
    OperationsController().register(app)
    MetricsController().register(app)
    IncidentsController().register(app)
}
