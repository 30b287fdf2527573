import Foundation
import ThadsApp
import Vapor

// `thads workdays …` takes free positional arguments, which Vapor's command signatures do not;
// it still runs against the configured database so recorded decisions count.
let arguments = CommandLine.arguments
var env = try Environment.detect(
    arguments: Array(arguments.prefix(1))
        + (arguments.dropFirst().first == "workdays" ? [] : Array(arguments.dropFirst())))
// Every logger of the process, the database libraries' too, goes through the redacting handler.
try LoggingSystem.bootstrap(from: &env) { level in
    let console = Terminal()
    return { label in
        PersonalDataSafeLogHandler(wrapping: ConsoleLogger(label: label, console: console, level: level))
    }
}
// Fluent gives SQLite one connection per event loop: with twice as many loops as cores, page reads do not queue
// behind one another's connection (or behind a write) while a core is free.
let threads = (try? AppSettings.fromEnvironment()).map(AppSettings.eventLoopCount) ?? System.coreCount
let eventLoops = MultiThreadedEventLoopGroup(numberOfThreads: threads)
let app = try await Application.make(env, .shared(eventLoops))
app.threadPool = NIOThreadPool(numberOfThreads: threads)
app.threadPool.start()
do {
    let command = arguments.dropFirst().first
    var settings = try AppSettings.fromEnvironment()
    // `workdays` output is read by people and scripts: only its answer goes to stdout.
    if command == "workdays", ProcessInfo.processInfo.environment["LOG_LEVEL"] == nil { settings.logLevel = .error }
    // Only the server runs the scheduled jobs: a one-shot command (audit-verify, backup, exchange-client …) that also
    // started the runner would do the night's work as a side effect and race its own shutdown for the database.
    if let command, command != "serve" { settings.runsBackgroundJobs = false }
    try await configure(
        app, settings: settings, createFirstAdmin: command == nil || command == "serve" || command == "demo-data")
    if command == "workdays" {
        do {
            print(try WorkdaysCLI.run(Array(arguments.dropFirst(2)), calendar: app.workingCalendar))
        } catch let error as WorkdaysCLI.UsageError {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            try await app.asyncShutdown()
            exit(2)
        }
    } else {
        app.registerThadsCommands()
        try await app.execute()
    }
} catch let invalid as AppSettings.Invalid {
    // A wrong setting stops the start with a message that names the variable.
    FileHandle.standardError.write(Data(("LỖI " + invalid.description + "\n").utf8))
    try? await app.asyncShutdown()
    exit(1)
} catch {
    app.logger.report(error: error)
    try? await app.asyncShutdown()
    exit(1)
}
try await app.asyncShutdown()
try await eventLoops.shutdownGracefully()
