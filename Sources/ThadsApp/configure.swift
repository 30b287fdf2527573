import Fluent
import Foundation
import ThadsDomain
import Vapor

/// settings → database → middleware → migrations → routes, nothing else.
public func configure(
    _ app: Application, settings: AppSettings? = nil, postgresSearchPath: [String]? = nil,
    createFirstAdmin: Bool = false
) async throws {
    let settings = try settings ?? AppSettings.fromEnvironment()
    // A schema of its own on a shared PostgreSQL database (a benchmark where databases cannot be created).
    let postgresSearchPath =
        postgresSearchPath ?? ProcessInfo.processInfo.environment["THADS_PG_SCHEMA"].flatMap { $0.isEmpty ? nil : [$0] }
    app.settings = settings
    app.logger.logLevel = settings.logLevel
    app.http.server.configuration.hostname = settings.host
    app.http.server.configuration.port = settings.port
    app.http.server.configuration.tlsConfiguration = try ServerTLS.configuration(settings)
    app.routes.defaultMaxBodySize = ByteCount(value: settings.maxRequestBodyBytes)
    app.keys = try KeyStore.load(directory: settings.keysDirectory, environment: ProcessInfo.processInfo.environment)
    app.passwordPolicy = PasswordPolicy(commonPasswords: try CommonPasswords.load())
    app.hashCounter = HashCounter()
    if let smtp = settings.smtpURL { app.mailTransport = SMTPMailTransport(url: smtp) }

    try DatabaseSetup.configure(app, settings: settings, postgresSearchPath: postgresSearchPath)
    app.accessLog = AccessLogWriter()
    app.lifecycle.use(AccessLogLifecycle())

    app.middleware = Middlewares()
    app.middleware.use(RequestMetricsMiddleware())
    app.middleware.use(SecurityHeadersMiddleware())
    app.middleware.use(ErrorPageMiddleware())
    app.middleware.use(BrowserCookieMiddleware())
    app.middleware.use(SessionMiddleware())

    Migrations.register(app)
    app.startupSteps = [
        { try await CalendarStore.seedIfEmpty($0) }, { try await LegalParameterStore.seedIfEmpty($0) },
        { try await LegalParameterStore.citeShippedSources($0) },
        { try await $0.reloadWorkingCalendar() }, { try await $0.reloadLegalParameters() },
    ]
    try await DatabaseSetup.prepare(app, postgresSearchPath: postgresSearchPath)
    try await app.autoMigrate()
    try await Bootstrap.run(app, createFirstAdmin: createFirstAdmin)

    jobs(app)
    try observers(app)
    if settings.runsBackgroundJobs { app.lifecycle.use(JobRunnerLifecycle()) }
    try routes(app)
}

enum Migrations {
    static func register(_ app: Application) {
        app.migrations.add(CreateAuditEvents())
        app.migrations.add(CreateUnits())
        app.migrations.add(CreateAccounts())
        app.migrations.add(CreateAccountRequests())
        app.migrations.add(CreateSessions())
        app.migrations.add(CreateInstallationFacts())
        app.migrations.add(CreateMailOutbox())
        app.migrations.add(CreateCalendarDecisions())
        app.migrations.add(CreateLegalParameters())
        app.migrations.add(CreateCatalogEntries())
        app.migrations.add(CreateCaseRegistry())
        // Before every migration that reads corrections through the model, which carries the column.
        app.migrations.add(AddCorrectionReasonCodes())
        app.migrations.add(CreateCaseSearch())
        app.migrations.add(AddLegacyCode())
        app.migrations.add(DropDuplicateSQLiteIndexes())
        app.migrations.add(AddIDToNameIndexes())
        app.migrations.add(CreateWorkflows())
        app.migrations.add(CreateSequences())
        app.migrations.add(CreateJobRuns())
        app.migrations.add(AccountRequestWorkflows())
        app.migrations.add(CorrectionWorkflows())
        app.migrations.add(MoveCaseCodesToSequences())
        app.migrations.add(AddDeadlineStarts())
        app.migrations.add(DescribeCourts())
        app.migrations.add(CreateDebtorRegister())
        app.migrations.add(CreateLoginThrottle())
        app.migrations.add(AuditChainUpgrade())
        app.migrations.add(CreateAccessCounters())
        app.migrations.add(CreatePasswordLinks())
        app.migrations.add(AddOutboxSecrecy())
        app.migrations.add(AddAttachmentScan())
        app.migrations.add(CreateExtractions())
        app.migrations.add(CreatePeriodLocks())
        // Before CreateCaseStates: its first rebuild reads `void_note` (existing installations run it in the next batch).
        app.migrations.add(AddVoidNotes())
        app.migrations.add(CreateCaseStates())
        app.migrations.add(AddMoneyPayerEmail())
        app.migrations.add(AddOutboxAttachments())
        app.migrations.add(CreateReceipts())
        app.migrations.add(CreateOnlineRequests())
        app.migrations.add(CreateOperations())
        app.migrations.add(CreateIncidentsAndChangeRequests())
        app.migrations.add(AddAttachmentClassification())
        app.migrations.add(AddStateBudgetToCaseStates())
        app.migrations.add(CreateBackupRequests())
        app.migrations.add(CreateOperatorCommitments())
        app.migrations.add(AddUnitSupportContacts())
        app.migrations.add(CreateCaseDutySummaries())
        app.migrations.add(CreateFormSubmissions())
        app.migrations.add(CreateFormDrafts())
        app.migrations.add(CreateExchange())
        app.migrations.add(CreateExchangeIntake())
        app.migrations.add(CreateExchangeWebhooks())
        app.migrations.add(AddCaseStatusOrderIndex())
        app.migrations.add(AddCollectedMoneyIndex())
    }
}

enum CommonPasswords {
    static func load() throws -> Set<String> {
        guard
            let url = Bundle.module.url(
                forResource: "common-passwords", withExtension: "txt", subdirectory: "Resources")
        else { throw Abort(.internalServerError, reason: "common-passwords.txt missing from the bundle") }
        return PasswordPolicy.parseCommonPasswords(try String(contentsOf: url, encoding: .utf8))
    }
}
