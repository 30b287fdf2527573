import Fluent
import Foundation
import NIOConcurrencyHelpers
import ThadsDomain
import Vapor

/// Choices a feature adds to a form another feature owns — the receipt series on a case's collection form — so the
/// owner shows them and hands the answers on (`ActionContext.formChoices`) without knowing who asked; the feature
/// that asked reads them in its change observer.
final class FormExtensions: Sendable {
    enum Form: String, Sendable {
        /// A case's money record (collection, payment, return).
        case moneyEntry
    }

    struct Select: Sendable {
        var name: String
        var label: String
        var options: [Option]
        /// The value chosen when the person chooses nothing.
        var selected: String
        var hint: String?
    }

    struct Option: Sendable {
        var value: String
        var label: String
    }

    typealias Provider = @Sendable (_ unitID: UUID, _ ctx: ActionContext, _ db: any Database) async throws -> Select?

    private struct Extension: Sendable {
        var name: String
        var provider: Provider
    }

    private let extensions = NIOLockedValueBox<[Form: [Extension]]>([:])

    /// Adds the select `name` to `form`; `provider` builds it for a unit, or returns nil when there is nothing to
    /// choose (then the form shows nothing).
    func extend(_ form: Form, name: String, _ provider: @escaping Provider) {
        extensions.withLockedValue { $0[form, default: []].append(Extension(name: name, provider: provider)) }
    }

    /// The names of the fields added to `form`, for the owner to copy from the request.
    func names(_ form: Form) -> [String] {
        extensions.withLockedValue { ($0[form] ?? []).map(\.name) }
    }

    func selects(_ form: Form, unitID: UUID, ctx: ActionContext, on db: any Database) async throws -> [Select] {
        var selects: [Select] = []
        for item in extensions.withLockedValue({ $0[form] ?? [] }) {
            if let select = try await item.provider(unitID, ctx, db) { selects.append(select) }
        }
        return selects
    }
}

extension Application {
    private struct FormExtensionsKey: StorageKey {
        typealias Value = FormExtensions
    }

    var formExtensions: FormExtensions {
        if let extensions = storage[FormExtensionsKey.self] { return extensions }
        let extensions = FormExtensions()
        storage[FormExtensionsKey.self] = extensions
        return extensions
    }
}
