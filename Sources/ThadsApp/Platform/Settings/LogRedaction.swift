import Vapor

/// Keeps party data out of the log at every level. Fluent logs each query it runs at debug level with the values it
/// binds (a debtor's name, an address, an ID number's search hash); this handler passes the record on with the
/// query's shape only. The drivers' own SQL logging is switched off where the databases are configured.
public struct PersonalDataSafeLogHandler: LogHandler {
    private var wrapped: any LogHandler

    public init(wrapping handler: any LogHandler) { wrapped = handler }

    /// Metadata keys a database library fills with values taken from the data.
    static let valueKeys: Set<String> = ["value", "values", "input", "binds", "filters", "sql", "query"]

    public func log(
        level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String,
        function: String, line: UInt
    ) {
        wrapped.log(
            level: level, message: message, metadata: metadata.map(Self.redacted), source: source, file: file,
            function: function, line: line)
    }

    static func redacted(_ metadata: Logger.Metadata) -> Logger.Metadata {
        metadata.reduce(into: [:]) { result, entry in
            result[entry.key] = valueKeys.contains(entry.key) ? "(lược bỏ)" : redacted(entry.value)
        }
    }

    static func redacted(_ value: Logger.MetadataValue) -> Logger.MetadataValue {
        switch value {
        case .dictionary(let dictionary): return .dictionary(redacted(dictionary))
        case .array(let array): return .array(array.map(redacted))
        default: return value
        }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { wrapped[metadataKey: key] }
        set { wrapped[metadataKey: key] = newValue }
    }

    public var metadata: Logger.Metadata {
        get { wrapped.metadata }
        set { wrapped.metadata = newValue }
    }

    public var logLevel: Logger.Level {
        get { wrapped.logLevel }
        set { wrapped.logLevel = newValue }
    }
}
