import Fluent
import Foundation
import ThadsDomain
import Vapor

/// The three-level hierarchy (A1): central admins open, rename and close regional offices.
struct UnitsController {
    func register(_ routes: any RoutesBuilder) {
        routes.on(.GET, "don-vi", access: .permission(.viewUnits), use: list)
        routes.on(.GET, "don-vi", ":unitID", access: .permission(.viewUnits), use: show)
        routes.on(.POST, "don-vi", ":unitID", "khu-vuc", access: .permission(.manageUnits), use: createRegional)
        routes.on(.POST, "don-vi", ":unitID", "doi-ten", access: .permission(.manageUnits), use: rename)
        routes.on(.POST, "don-vi", ":unitID", "dong", access: .permission(.manageUnits), use: close)
        routes.on(.POST, "don-vi", ":unitID", "ho-tro", access: .permission(.viewUnits), use: setSupport)
    }

    func list(req: Request) async throws -> Response {
        let units = try await EnforcementUnit.query(on: req.db).sort(\.$code).all()
        let childCounts = Dictionary(grouping: units.filter { $0.level == .regional }, by: { $0.parentID })
            .mapValues(\.count)
        return UnitViews.list(
            req.pageContext, provinces: units.filter { $0.level == .province },
            central: units.first { $0.level == .central },
            regionalCounts: childCounts
        ).response
    }

    func show(req: Request) async throws -> Response {
        let unit = try await find(req)
        let children = try await EnforcementUnit.query(on: req.db).filter(\.$parentID == unit.id!).sort(\.$code).all()
        let parent = try await unit.parentID.asyncMap { try await EnforcementUnit.find($0, on: req.db) } ?? nil
        return UnitViews.show(
            req.pageContext, unit: unit, parent: parent, children: children, errors: [:], form: [:],
            notice: req.notice([
                "da-tao": "Đã tạo phòng khu vực.", "da-doi-ten": "Đã đổi tên đơn vị.", "da-dong": "Đã đóng đơn vị.",
                "da-luu-ho-tro": "Đã lưu đầu mối hỗ trợ.",
            ])
        ).response
    }

    func createRegional(req: Request) async throws -> Response {
        let province = try await find(req)
        let name = TextInput.normalized(
            ((try? req.content.get(String.self, at: "name")) ?? "").trimmingCharacters(in: .whitespaces))
        let code = ((try? req.content.get(String.self, at: "code")) ?? "").trimmingCharacters(in: .whitespaces)
            .uppercased()
        var errors: [String: String] = [:]
        if province.level != .province || !province.isOpen {
            errors["name"] = "Chỉ tạo phòng khu vực thuộc một THADS tỉnh/thành phố đang hoạt động."
        }
        if let refusal = FormCheck.refusal(name, label: "Tên đơn vị", max: 200) {
            errors["name"] = refusal
        } else if name.count < 5 {
            errors["name"] = "Tên đơn vị phải từ 5 đến 200 ký tự."
        }
        if code.range(of: #"^[0-9]{2}-[0-9A-Z]{1,4}$"#, options: .regularExpression) == nil
            || !code.hasPrefix(province.code + "-")
        {
            errors["code"] = "Mã phải có dạng \(province.code)-NN (mã tỉnh, gạch ngang, số thứ tự)."
        } else if try await EnforcementUnit.query(on: req.db).filter(\.$code == code).first() != nil {
            errors["code"] = "Mã \(code) đã được dùng."
        }
        if !errors.isEmpty {
            let children = try await EnforcementUnit.query(on: req.db).filter(\.$parentID == province.id!).sort(\.$code)
                .all()
            return UnitViews.show(
                req.pageContext, unit: province, parent: nil, children: children, errors: errors,
                form: ["name": name, "code": code], status: .badRequest
            ).response
        }
        let unit = EnforcementUnit(code: code, name: name, level: .regional, parentID: province.id)
        try await req.write { db in
            try await unit.create(on: db)
            try await req.audit(
                AuditEntry(
                    action: "unit.created", objectType: "unit", objectID: unit.id?.uuidString, unitID: unit.id,
                    summary: "Tạo \(name) (\(code))", after: AuditEntry.json(unit.snapshot)), on: db)
        }
        return req.redirect(to: "/don-vi/\(province.id!.uuidString)?thongbao=da-tao")
    }

    func rename(req: Request) async throws -> Response {
        let unit = try await find(req)
        let name = TextInput.normalized(
            ((try? req.content.get(String.self, at: "name")) ?? "").trimmingCharacters(in: .whitespaces))
        let refusal = FormCheck.refusal(name, label: "Tên đơn vị", max: 200)
        guard refusal == nil, name.count >= 5 else {
            let children = try await EnforcementUnit.query(on: req.db).filter(\.$parentID == unit.id!).sort(\.$code)
                .all()
            return UnitViews.show(
                req.pageContext, unit: unit, parent: nil, children: children,
                errors: ["rename": refusal ?? "Tên đơn vị phải từ 5 đến 200 ký tự."], form: [:], status: .badRequest
            ).response
        }
        try await req.write { db in
            let before = unit.snapshot
            unit.name = name
            try await unit.save(on: db)
            try await req.audit(
                AuditEntry(
                    action: "unit.renamed", objectType: "unit", objectID: unit.id?.uuidString, unitID: unit.id,
                    before: AuditEntry.json(before), after: AuditEntry.json(unit.snapshot)), on: db)
        }
        return req.redirect(to: "/don-vi/\(unit.id!.uuidString)?thongbao=da-doi-ten")
    }

    func close(req: Request) async throws -> Response {
        let unit = try await find(req)
        let reason = TextInput.normalized(
            ((try? req.content.get(String.self, at: "reason")) ?? "").trimmingCharacters(in: .whitespaces))
        var error: String?
        if let refusal = FormCheck.refusal(reason, label: "Lý do đóng đơn vị", max: 500) {
            error = refusal
        } else if unit.level != .regional {
            error = "Chỉ đóng được phòng khu vực."
        } else if !unit.isOpen {
            error = "Đơn vị đã đóng."
        } else if reason.count < 5 {
            error = "Nhập lý do đóng đơn vị (ít nhất 5 ký tự)."
        } else if try await Account.query(on: req.db).filter(\.$unitID == unit.id!).filter(
            \.$status ~~ [.active, .pending, .locked]
        ).count() > 0 {
            error = "Đơn vị còn tài khoản đang hoạt động hoặc chờ duyệt; hãy chuyển hoặc thu hồi trước khi đóng."
        }
        if let error {
            let children = try await EnforcementUnit.query(on: req.db).filter(\.$parentID == unit.id!).sort(\.$code)
                .all()
            return UnitViews.show(
                req.pageContext, unit: unit, parent: nil, children: children, errors: ["reason": error],
                form: ["reason": reason],
                status: .badRequest
            ).response
        }
        try await req.write { db in
            let before = unit.snapshot
            unit.isOpen = false
            unit.closedAt = req.clock.now
            try await unit.save(on: db)
            try await req.audit(
                AuditEntry(
                    action: "unit.closed", objectType: "unit", objectID: unit.id?.uuidString, unitID: unit.id,
                    summary: reason, before: AuditEntry.json(before), after: AuditEntry.json(unit.snapshot)), on: db)
        }
        return req.redirect(to: "/don-vi/\(unit.id!.uuidString)?thongbao=da-dong")
    }

    /// An admin sets where the unit's staff get help: a central admin for any unit, a local admin for the units in
    /// their scope.
    func setSupport(req: Request) async throws -> Response {
        let unit = try await find(req)
        let user = try req.user
        guard user.account.accountClass.isAdmin, user.scope.contains(unit.id!) else { throw Abort(.forbidden) }
        var form = FormCheck(req, keys: ["supportContact", "itFocalPoint"])
        let support = form.text("supportContact", label: "Đầu mối hỗ trợ", max: 300)
        let focal = form.text("itFocalPoint", label: "Đầu mối công nghệ thông tin", max: 300)
        guard form.isValid else {
            let children = try await EnforcementUnit.query(on: req.db).filter(\.$parentID == unit.id!).sort(\.$code)
                .all()
            return UnitViews.show(
                req.pageContext, unit: unit, parent: nil, children: children, errors: form.errors, form: form.values,
                status: .badRequest
            ).response
        }
        try await req.write { db in
            let before = ["supportContact": unit.supportContact ?? "", "itFocalPoint": unit.itFocalPoint ?? ""]
            unit.supportContact = support.isEmpty ? nil : support
            unit.itFocalPoint = focal.isEmpty ? nil : focal
            try await unit.save(on: db)
            try await req.audit(
                AuditEntry(
                    action: "unit.supportContactsSet", objectType: "unit", objectID: unit.id?.uuidString,
                    unitID: unit.id, summary: "Đầu mối hỗ trợ và CNTT của \(unit.name)",
                    before: AuditEntry.json(before),
                    after: AuditEntry.json(["supportContact": support, "itFocalPoint": focal])), on: db)
        }
        return req.redirect(to: "/don-vi/\(unit.id!.uuidString)?thongbao=da-luu-ho-tro")
    }

    private func find(_ req: Request) async throws -> EnforcementUnit {
        guard let id = req.parameters.get("unitID", as: UUID.self),
            let unit = try await EnforcementUnit.find(id, on: req.db)
        else { throw Abort(.notFound) }
        return unit
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        switch self {
        case .some(let value): try await transform(value)
        case .none: nil
        }
    }
}
