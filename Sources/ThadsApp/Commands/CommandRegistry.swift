import Vapor

extension Application {
    /// The platform's own commands beside Vapor's `serve`, `routes` and `migrate`.
    public func registerThadsCommands() {
        asyncCommands.use(AuditVerifyCommand(), as: "audit-verify")
        asyncCommands.use(DemoDataCommand(), as: "demo-data")
        asyncCommands.use(DocsCommand(), as: "docs")
        asyncCommands.use(ImportCommand(), as: "import")
        asyncCommands.use(KeysCommand(), as: "keys")
        asyncCommands.use(QualityScanCommand(), as: "quality-scan")
        asyncCommands.use(BenchCommand(), as: "bench")
        asyncCommands.use(ReportsBenchCommand(), as: "bench-reports")
        asyncCommands.use(DebtorsRecheckCommand(), as: "debtors-recheck")
        asyncCommands.use(ReportsRebuildCommand(), as: "reports-rebuild")
        asyncCommands.use(BackupCommand(), as: "backup")
        asyncCommands.use(ExchangeClientCommand(), as: "exchange-client")
    }
}
