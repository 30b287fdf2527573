import Vapor

/// One line per feature that has scheduled work; `JobRunner` runs them.
func jobs(_ app: Application) {
    app.jobs.register(Mailer.deliveryJob)
    app.jobs.register(PasswordExpiryReminders.job)
    app.jobs.register(DebtorRegister.dailyJob)
    app.jobs.register(ReverificationReminders.job)
    app.jobs.register(AuditCheckpoints.job)
    app.jobs.register(ImportUploads.purgeJob)
    app.jobs.register(Reporting.rebuildJob)
    app.jobs.register(Reporting.lockJob)
    app.jobs.register(CaseDutySummaries.job)
    app.jobs.register(OnlineReminders.job)
    app.jobs.register(IncidentService.reminderJob)
    // Requests from the operator page run even where the nightly schedule is off (a test or demo install).
    app.jobs.register(BackupRequests.job)
    app.jobs.register(ExchangeReplay.sweepJob)
    app.jobs.register(ExchangeFeed.backfillJob)
    app.jobs.register(ExchangeWebhooks.deliveryJob)
    if app.settings.operations.scheduled {
        app.jobs.register(BackupJobs.nightly)
        app.jobs.register(BackupJobs.drill)
        app.jobs.register(OperationsWatch.job)
        app.jobs.register(SecuritySummary.job)
    }
}
