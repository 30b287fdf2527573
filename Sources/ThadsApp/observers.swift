import Vapor

/// One line per feature that follows another feature's records in the same transaction (`ChangeObservers`).
func observers(_ app: Application) throws {
    DebtorRegister.start(app)
    Reporting.start(app)
    try ReceiptIssuer.start(app)
    ExchangeFeed.start(app)
}
