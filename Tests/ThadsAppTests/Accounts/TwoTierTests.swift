import Fluent
import Foundation
import Testing
import ThadsDomain
import VaporTesting

@testable import ThadsApp

@Suite struct TwoTierTests {
    static func newAccountForm(unit: UUID, username: String = "cbt.moi", nationalID: String = "001099000123") -> [(
        String, String
    )] {
        [
            ("username", username), ("fullName", "Trần Văn Mới"), ("email", username + "@thads.gov.vn"),
            ("nationalID", nationalID), ("position", "Chấp hành viên sơ cấp"), ("accountClass", "internalUser"),
            ("unitID", unit.uuidString), ("roles[]", "enforcementOfficer"), ("note", "Cán bộ mới chuyển đến"),
        ]
    }

    @Test func requestWaitsForCentralApprovalThenTheUserSignsIn() async throws {
        try await withTestApp { app async throws in
            let regional = try await Fixtures.regional(app, code: "01-01", under: "01")
            let (local, _) = try await Fixtures.signedIn(app, "qt.hanoi", class: .localAdmin, unit: "01")
            let requested = try await local.post("/tai-khoan/moi", Self.newAccountForm(unit: regional.id!))
            #expect(requested.location == "/de-nghi?thongbao=da-gui")
            let request = try #require(try await AccountRequest.query(on: app.db).first())
            #expect(request.status == .pending)
            #expect(request.accountID == nil)
            #expect(request.dueAt > request.requestedAt)
            // Not an account yet: cannot sign in.
            #expect(try await Account.query(on: app.db).filter(\.$username == "cbt.moi").count() == 0)
            #expect(try await TestClient(app).login("cbt.moi", "anything-123").status == .unauthorized)
            // The local admin cannot approve (no permission), the queue is the central admins'.
            #expect(try await local.post("/phe-duyet/\(request.id!.uuidString)/duyet").status == .forbidden)

            let (central, _) = try await Fixtures.signedIn(app, "qt.cuc", class: .centralAdmin)
            let queue = try await central.get("/phe-duyet")
            #expect(queue.body.string.contains("Trần Văn Mới"))
            #expect(
                try await central.post("/phe-duyet/\(request.id!.uuidString)/duyet").location
                    == "/phe-duyet?thongbao=da-duyet")
            let account = try #require(try await Account.query(on: app.db).filter(\.$username == "cbt.moi").first())
            #expect(account.status == .active)
            #expect(account.fullNameFolded == "tran van moi")

            let token = try #require(app.passwordLinkToken(to: "cbt.moi@thads.gov.vn"))
            let user = TestClient(app)
            #expect(
                try await user.post(
                    "/dat-mat-khau/" + token, [("new", "Song-Hong-Xanh-88"), ("confirm", "Song-Hong-Xanh-88")]
                ).status == .ok)
            #expect(try await user.login("cbt.moi", "Song-Hong-Xanh-88").status == .seeOther)
            #expect(try await user.get("/").status == .ok)

            let actions = try await AuditEvent.query(on: app.db).sort(\.$seq).all()
            let approved = try #require(actions.first { $0.action == "account.approved" })
            #expect(approved.afterData?.contains("cbt.moi") == true)
            #expect(actions.contains { $0.action == "account.requested" })
        }
    }

    /// Who decides is the step machine's rule now: a central admin (the permission), never on their own request.
    @Test func nobodyApprovesTheirOwnRequest() throws {
        let me = UUID()
        let central = StepActor(id: me, permissions: PermissionMatrix.permissions(for: .centralAdmin, roles: []))
        let local = StepActor(id: me, permissions: PermissionMatrix.permissions(for: .localAdmin, roles: []))
        let machine = StepMachine.accountRequest
        #expect(
            machine.decide("approve", at: "pending", by: central, initiatorID: me, note: nil)
                == .failure(.initiatorMayNotDecide))
        #expect(
            machine.decide("approve", at: "pending", by: central, initiatorID: UUID(), note: nil)
                == .success("approved"))
        #expect(
            machine.decide("approve", at: "pending", by: local, initiatorID: UUID(), note: nil)
                == .failure(.missingPermission(.approveAccountRequests)))
    }

    /// Seed 000 Art. 8.1.a: the central department has no local admin, so its central admins create its users
    /// directly; a local body's users still go through that body's local admin.
    @Test func aCentralAdminCreatesACentralStatisticsOfficerButNotAProvincialUser() async throws {
        try await withTestApp { app async throws in
            let central = try await Fixtures.unit(app, code: "TW")
            let (admin, _) = try await Fixtures.signedIn(app, "qt.cuc", class: .centralAdmin)
            let form = Self.newAccountForm(unit: central.id!, username: "tk.cuc").map {
                $0.0 == "roles[]" ? ("roles[]", "statisticsOfficer") : $0
            }
            let created = try await admin.post("/tai-khoan/moi", form)
            #expect(created.status == .seeOther)
            #expect(created.location?.contains("thongbao=da-tao") == true)
            let account = try #require(try await Account.query(on: app.db).filter(\.$username == "tk.cuc").first())
            #expect(account.status == .active)
            #expect(account.accountClass == .internalUser)
            #expect(account.roles == [.statisticsOfficer])
            #expect(account.unitID == central.id)
            #expect(try await AccountRequest.query(on: app.db).count() == 0, "no request: a direct change")
            let event = try #require(
                try await AuditEvent.query(on: app.db).filter(\.$action == "account.created")
                    .filter(\.$objectID == account.id!.uuidString).first())
            #expect(event.actorUsername == "qt.cuc")

            let hanoi = try await Fixtures.unit(app, code: "01")
            let refused = try await admin.post(
                "/tai-khoan/moi", Self.newAccountForm(unit: hanoi.id!, username: "cb.hanoi", nationalID: "001099000124")
            )
            #expect(refused.status == .badRequest)
            #expect(refused.body.string.contains("do quản trị địa phương đề nghị"))
            #expect(try await Account.query(on: app.db).filter(\.$username == "cb.hanoi").count() == 0)
        }
    }

    @Test func rejectionNeedsAReasonWhichTheLocalAdminSeesAndReceives() async throws {
        try await withTestApp { app async throws in
            let unit = try await Fixtures.unit(app, code: "01")
            let (local, localMade) = try await Fixtures.signedIn(app, "qt.hanoi", class: .localAdmin, unit: "01")
            _ = try await local.post("/tai-khoan/moi", Self.newAccountForm(unit: unit.id!))
            let request = try #require(try await AccountRequest.query(on: app.db).first())
            let (central, _) = try await Fixtures.signedIn(app, "qt.cuc", class: .centralAdmin)
            let noReason = try await central.post("/phe-duyet/\(request.id!.uuidString)/tu-choi", [("reason", "")])
            #expect(noReason.status == .badRequest)
            #expect(noReason.body.string.contains("Nhập lý do từ chối"))
            #expect(
                try await central.post(
                    "/phe-duyet/\(request.id!.uuidString)/tu-choi", [("reason", "Thiếu quyết định điều động cán bộ")]
                ).status == .seeOther)
            #expect(try await local.get("/de-nghi").body.string.contains("Thiếu quyết định điều động cán bộ"))
            #expect(
                try app.mails().contains {
                    $0.contains("To: \(localMade.account.email)") && $0.contains("Thiếu quyết định điều động cán bộ")
                })
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "account.rejected").count() == 1)
            // The identifiers are free again for a corrected request.
            #expect(try await local.post("/tai-khoan/moi", Self.newAccountForm(unit: unit.id!)).status == .seeOther)
        }
    }

    @Test func formErrorsAreShownNextToTheFieldsAndNothingIsSaved() async throws {
        try await withTestApp { app async throws in
            let unit = try await Fixtures.unit(app, code: "01")
            let (local, _) = try await Fixtures.signedIn(app, "qt.hanoi", class: .localAdmin, unit: "01")
            var form = Self.newAccountForm(unit: unit.id!, nationalID: "12ab")
            form.removeAll { $0.0 == "roles[]" }
            let response = try await local.post("/tai-khoan/moi", form)
            #expect(response.status == .badRequest)
            #expect(response.body.string.contains("f-nationalID-error"))
            #expect(response.body.string.contains("Chọn ít nhất một vai trò"))
            #expect(response.body.string.contains("value=\"Trần Văn Mới\""), "what was typed is kept")
            #expect(try await AccountRequest.query(on: app.db).count() == 0)
        }
    }

    @Test func onePersonOneAccount() async throws {
        try await withTestApp { app async throws in
            let unit = try await Fixtures.unit(app, code: "01")
            let (local, _) = try await Fixtures.signedIn(app, "qt.hanoi", class: .localAdmin, unit: "01")
            _ = try await local.post("/tai-khoan/moi", Self.newAccountForm(unit: unit.id!, username: "nguoi.a"))
            let sameID = try await local.post(
                "/tai-khoan/moi", Self.newAccountForm(unit: unit.id!, username: "nguoi.b"))
            #expect(sameID.status == .badRequest)
            #expect(sameID.body.string.contains("Số định danh này đã có tài khoản"))
            var sameEmail = Self.newAccountForm(unit: unit.id!, username: "nguoi.c", nationalID: "001099000999")
            sameEmail.removeAll { $0.0 == "email" }
            sameEmail.append(("email", "nguoi.a@thads.gov.vn"))
            let emailTaken = try await local.post("/tai-khoan/moi", sameEmail)
            #expect(emailTaken.status == .badRequest)
            #expect(emailTaken.body.string.contains("đã gắn với một tài khoản khác"))
        }
    }

    @Test func localAdminCannotReachAnotherProvince() async throws {
        try await withTestApp { app async throws in
            let hcm = try await Fixtures.unit(app, code: "79")
            let other = try await Fixtures.account(app, "cb.hcm", unit: "79", roles: [.secretary])
            let own = try await Fixtures.account(app, "cb.hanoi", unit: "01", roles: [.secretary])
            let (local, _) = try await Fixtures.signedIn(app, "qt.hanoi", class: .localAdmin, unit: "01")
            #expect(try await local.get("/tai-khoan/\(other.account.id!.uuidString)").status == .notFound)
            #expect(
                try await local.post(
                    "/tai-khoan/\(other.account.id!.uuidString)/trang-thai",
                    [("action", "lock"), ("note", "Thử khóa chéo")]
                ).status == .notFound)
            #expect(try await local.get("/tai-khoan/\(own.account.id!.uuidString)").status == .ok)
            let list = try await local.get("/tai-khoan").body.string
            #expect(list.contains("cb.hanoi") && !list.contains("cb.hcm"))
            let outOfScope = try await local.post("/tai-khoan/moi", Self.newAccountForm(unit: hcm.id!))
            #expect(outOfScope.status == .badRequest)
            #expect(outOfScope.body.string.contains("ngoài phạm vi"))
        }
    }

    @Test func localAdminLockIsPendingAndCentralManagesAdminsDirectly() async throws {
        try await withTestApp { app async throws in
            let officer = try await Fixtures.account(app, "cb.hanoi", unit: "01", roles: [.enforcementOfficer])
            let (local, localMade) = try await Fixtures.signedIn(app, "qt.hanoi", class: .localAdmin, unit: "01")
            _ = try await local.post(
                "/tai-khoan/\(officer.account.id!.uuidString)/trang-thai",
                [("action", "lock"), ("note", "Nghỉ công tác dài hạn")])
            #expect(try await Account.find(officer.account.id, on: app.db)?.status == .active, "pending until approved")
            let (central, _) = try await Fixtures.signedIn(app, "qt.cuc", class: .centralAdmin)
            let request = try #require(try await AccountRequest.query(on: app.db).filter(\.$kind == .lock).first())
            _ = try await central.post("/phe-duyet/\(request.id!.uuidString)/duyet")
            #expect(try await Account.find(officer.account.id, on: app.db)?.status == .locked)
            // Central admins lock a local admin directly; the local admin's sessions end.
            _ = try await central.post(
                "/tai-khoan/\(localMade.account.id!.uuidString)/trang-thai",
                [("action", "lock"), ("note", "Kiểm tra an ninh")])
            #expect(try await Account.find(localMade.account.id, on: app.db)?.status == .locked)
            #expect(try await local.get("/tai-khoan").location?.hasPrefix("/dang-nhap") == true)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "account.lock").count() == 1)
        }
    }

    @Test func centralAdminUnlocksATemporaryLockoutAndEndsSessions() async throws {
        try await withTestApp { app async throws in
            let officer = try await Fixtures.account(app, "cb", unit: "01", roles: [.enforcementOfficer])
            let client = TestClient(app)
            for _ in 1...5 {
                _ = try await client.post("/dang-nhap", [("username", "cb"), ("password", "sai-sai-sai")])
            }
            let (central, _) = try await Fixtures.signedIn(app, "qt.cuc", class: .centralAdmin)
            _ = try await central.post(
                "/tai-khoan/\(officer.account.id!.uuidString)/trang-thai",
                [("action", "unlock"), ("note", "Đã xác minh qua điện thoại")])
            #expect(try await TestClient(app).login("cb", Fixtures.password).status == .seeOther)
            #expect(
                try await central.post("/tai-khoan/\(officer.account.id!.uuidString)/ket-thuc-phien").status
                    == .seeOther)
            #expect(
                try await UserSession.query(on: app.db).filter(\.$accountID == officer.account.id!).filter(
                    \.$endedAt == nil
                ).count() == 0)
        }
    }

    @Test func adminResetSendsASetPasswordLink() async throws {
        try await withTestApp { app async throws in
            let officer = try await Fixtures.account(app, "cb", unit: "01", roles: [.enforcementOfficer])
            let (central, _) = try await Fixtures.signedIn(app, "qt.cuc", class: .centralAdmin)
            _ = try await central.post("/tai-khoan/\(officer.account.id!.uuidString)/dat-lai-mat-khau")
            let token = try #require(app.passwordLinkToken(to: "cb@thads.test"))
            let user = TestClient(app)
            #expect(try await user.login("cb", Fixtures.password).status == .unauthorized)
            #expect(
                try await user.post(
                    "/dat-mat-khau/" + token, [("new", "Cay-Tre-Xanh-2031"), ("confirm", "Cay-Tre-Xanh-2031")]
                )
                .status == .ok)
            #expect(try await user.login("cb", "Cay-Tre-Xanh-2031").status == .seeOther)
        }
    }

    @Test func centralAdminResetsALostSecondFactor() async throws {
        try await withTestApp { app async throws in
            let head = try await Fixtures.account(app, "lanhdao", unit: "01", roles: [.head])
            let (central, _) = try await Fixtures.signedIn(app, "qt.cuc", class: .centralAdmin)
            #expect(try await central.post("/tai-khoan/\(head.account.id!.uuidString)/dat-lai-mfa").status == .seeOther)
            let user = TestClient(app)
            _ = try await user.login("lanhdao", Fixtures.password)
            #expect(try await user.get("/").location == "/mfa/dang-ky", "must enrol again")
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "mfa.reset").count() == 1)
        }
    }
}
