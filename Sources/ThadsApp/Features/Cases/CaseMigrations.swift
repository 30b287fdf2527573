import Fluent
import Foundation
import SQLKit

/// The case registry tables (B1, B4, B5, B8) and the indexes its lists and checks read.
struct CreateCaseRegistry: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let units = EnforcementUnit.schema
        let accounts = Account.schema
        try await database.schema(Judgment.schema)
            .id()
            .field("unit_id", .uuid, .required, .references(units, "id"))
            .field("court_code", .string, .required)
            .field("number", .string, .required)
            .field("number_key", .string, .required)
            .field("judgment_date", .string)
            .field("kind_code", .string, .required)
            .field("effective_date", .string)
            .field("received_on", .string)
            .field("entered_at", .datetime, .required)
            .field("is_late", .bool, .required)
            .field("late_reason", .string)
            .field("created_by_id", .uuid, .required, .references(accounts, "id"))
            .create()
        try await database.schema(EnforcementCase.schema)
            .id()
            .field("code", .string, .required)
            .field("unit_id", .uuid, .required, .references(units, "id"))
            .field("judgment_id", .uuid, .required, .references(Judgment.schema, "id"))
            .field("start_mode", .string, .required)
            .field("request_received_on", .string)
            .field("status", .string, .required)
            .field("resume_status", .string)
            .field("officer_id", .uuid, .references(accounts, "id"))
            .field("statistical_year", .int, .required)
            .field("opened_on", .string, .required)
            .field("closed_on", .string)
            .field("created_at", .datetime, .required)
            .field("created_by_id", .uuid, .required, .references(accounts, "id"))
            .field("updated_at", .datetime, .required)
            .unique(on: "code")
            .create()
        try await database.schema(CaseParty.schema)
            .id()
            .field("case_id", .uuid, .required, .references(EnforcementCase.schema, "id"))
            .field("unit_id", .uuid, .required, .references(units, "id"))
            .field("role", .string, .required)
            .field("kind", .string, .required)
            .field("full_name", .string, .required)
            .field("name_folded", .string, .required)
            .field("birth_date", .string)
            .field("birth_year", .int)
            .field("id_number_cipher", .string)
            .field("id_number_index", .string)
            .field("id_number_last3", .string)
            .field("address", .string, .required)
            .field("entered_at", .datetime, .required)
            .field("created_by_id", .uuid, .required, .references(accounts, "id"))
            .create()
        try await database.schema(CaseObligation.schema)
            .id()
            .field("case_id", .uuid, .required, .references(EnforcementCase.schema, "id"))
            .field("kind_code", .string, .required)
            .field("mode", .string, .required)
            .field("amount", .int64)
            .field("description", .string, .required)
            .field("beneficiary", .string, .required)
            .field("periodic", .bool, .required)
            .field("entered_at", .datetime, .required)
            .field("created_by_id", .uuid, .required, .references(accounts, "id"))
            .create()
        for (schema, dateField, extra) in [
            (CaseDecision.schema, "decided_on", ["kind", "number", "ground_code", "signer", "notes"]),
            (CaseVerification.schema, "verified_on", ["outcome", "findings"]),
            (CaseMoneyEntry.schema, "occurred_on", ["direction", "reference", "notes"]),
        ] {
            var builder = database.schema(schema)
                .id()
                .field("case_id", .uuid, .required, .references(EnforcementCase.schema, "id"))
                .field(.definition(name: .key(.string(dateField)), dataType: .string, constraints: [.required]))
            for name in extra {
                builder = builder.field(
                    .definition(name: .key(.string(name)), dataType: .string, constraints: [.required]))
            }
            if schema == CaseDecision.schema { builder = builder.field("notified_on", .string) }
            if schema == CaseMoneyEntry.schema { builder = builder.field("amount", .int64, .required) }
            if schema != CaseMoneyEntry.schema {
                builder = builder.field("status_before", .string, .required).field("status_after", .string, .required)
            }
            try await builder
                .field("entered_at", .datetime, .required)
                .field("is_late", .bool, .required)
                .field("late_reason", .string)
                .field("created_by_id", .uuid, .required, .references(accounts, "id"))
                .create()
        }
        try await database.schema(CaseAttachment.schema)
            .id()
            .field("case_id", .uuid, .required, .references(EnforcementCase.schema, "id"))
            .field("file_name", .string, .required)
            .field("kind", .string, .required)
            .field("size", .int64, .required)
            .field("sha256", .string, .required)
            .field("description", .string, .required)
            .field("uploaded_by_id", .uuid, .required, .references(accounts, "id"))
            .field("uploaded_at", .datetime, .required)
            .create()
        try await database.schema(CaseFieldChange.schema)
            .id()
            .field("case_id", .uuid, .required, .references(EnforcementCase.schema, "id"))
            .field("record_kind", .string, .required)
            .field("record_id", .uuid, .required)
            .field("field", .string, .required)
            .field("before_text", .string, .required)
            .field("after_text", .string, .required)
            .field("reason", .string, .required)
            .field("actor_id", .uuid, .required, .references(accounts, "id"))
            .field("actor_name", .string, .required)
            .field("correction_id", .uuid)
            .field("changed_at", .datetime, .required)
            .create()
        try await database.schema(CaseCorrection.schema)
            .id()
            .field("case_id", .uuid, .required, .references(EnforcementCase.schema, "id"))
            .field("unit_id", .uuid, .required, .references(units, "id"))
            .field("record_kind", .string, .required)
            .field("record_id", .uuid, .required)
            .field("changes", .string, .required)
            .field("reason", .string, .required)
            .field("requested_by_id", .uuid, .required, .references(accounts, "id"))
            .field("requested_by_name", .string, .required)
            .field("requested_at", .datetime, .required)
            .field("status", .string, .required)
            .field("decided_by_id", .uuid, .references(accounts, "id"))
            .field("decided_at", .datetime)
            .field("decision_note", .string)
            .create()
        try await database.schema(QualityWarning.schema)
            .id()
            .field("case_id", .uuid, .required, .references(EnforcementCase.schema, "id"))
            .field("unit_id", .uuid, .required, .references(units, "id"))
            .field("rule", .string, .required)
            .field("category", .string, .required)
            .field("subject", .string, .required)
            .field("message", .string, .required)
            .field("status", .string, .required)
            .field("opened_at", .datetime, .required)
            .field("closed_at", .datetime)
            .field("dismissed_by_id", .uuid, .references(accounts, "id"))
            .field("dismiss_reason", .string)
            .unique(on: "case_id", "rule", "subject")
            .create()
        try await database.schema(CaseCodeCounter.schema)
            .id()
            .field("unit_id", .uuid, .required, .references(units, "id"))
            .field("year", .int, .required)
            .field("last_sequence", .int, .required)
            .unique(on: "unit_id", "year")
            .create()

        let sql = try database.sql
        let indexes: [(String, String, [String])] = [
            ("judgments_court_number", Judgment.schema, ["court_code", "number_key"]),
            ("cases_unit_status", EnforcementCase.schema, ["unit_id", "status"]),
            ("cases_officer", EnforcementCase.schema, ["officer_id", "status"]),
            ("cases_judgment", EnforcementCase.schema, ["judgment_id"]),
            ("parties_case", CaseParty.schema, ["case_id"]),
            ("parties_unit_name", CaseParty.schema, ["unit_id", "name_folded", "birth_year"]),
            ("parties_id_index", CaseParty.schema, ["id_number_index"]),
            ("obligations_case", CaseObligation.schema, ["case_id"]),
            ("decisions_case", CaseDecision.schema, ["case_id"]),
            ("verifications_case", CaseVerification.schema, ["case_id"]),
            ("money_case", CaseMoneyEntry.schema, ["case_id"]),
            ("attachments_case", CaseAttachment.schema, ["case_id"]),
            ("history_case", CaseFieldChange.schema, ["case_id", "changed_at"]),
            ("corrections_unit_status", CaseCorrection.schema, ["unit_id", "status"]),
            ("corrections_case", CaseCorrection.schema, ["case_id"]),
            ("warnings_unit_status", QualityWarning.schema, ["unit_id", "status", "rule"]),
        ]
        for (name, table, columns) in indexes {
            var builder = sql.create(index: "idx_" + name).on(table)
            for column in columns { builder = builder.column(column) }
            try await builder.run()
        }
    }

    func revert(on database: any Database) async throws {
        for schema in [
            CaseCodeCounter.schema, QualityWarning.schema, CaseCorrection.schema, CaseFieldChange.schema,
            CaseAttachment.schema, CaseMoneyEntry.schema, CaseVerification.schema, CaseDecision.schema,
            CaseObligation.schema, CaseParty.schema, EnforcementCase.schema, Judgment.schema,
        ] {
            try await database.schema(schema).delete()
        }
    }
}
