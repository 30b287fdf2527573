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
    app.jobs.register(OnlineReminders.job)
    app.jobs.register(IncidentService.reminderJob)
    if app.settings.operations.scheduled {
        app.jobs.register(BackupJobs.nightly)
        app.jobs.register(BackupJobs.drill)
        app.jobs.register(OperationsWatch.job)
        app.jobs.register(SecuritySummary.job)
    }
}
