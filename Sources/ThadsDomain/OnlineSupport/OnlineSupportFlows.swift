import Foundation

/// The three five-step processes of seed 001 ("QUY TRÌNH Hỗ trợ trực tuyến"), as the process tables define them:
/// the online support officer receives, checks, books the appointment and returns the result
/// (`handleOnlineRequests`); a verifier or the assigned officer examines and drafts (`processOnlineRequests`); the
/// head of the body assigns and signs (`approveOnlineRequests`). Every step takes at most 1 working day except the
/// petition's step 4 ("Tùy thuộc tính chất vụ việc"). Waiting for the submitter to complete the file is a paused
/// step: no limit, and the whole request's clock stops (`OnlineRequestClock`).
///
/// The submitter is never the instance's initiator in the staff sense (a visitor has no account), so no outcome
/// needs separation of duties; every outcome says so (`initiatorMayTake: true`).
extension StepMachine {
    private typealias S = Step
    private typealias O = Outcome

    private static func outcome(_ id: String, _ label: String, _ target: String, note: Bool = false) -> Outcome {
        Outcome(id: id, label: label, target: target, needsNote: note, initiatorMayTake: true)
    }

    /// §1 — online support for a request for enforcement.
    public static let onlineEnforcementRequest: StepMachine = try! StepMachine(
        name: "online-enforcement-request",
        initial: "receive",
        steps: [
            S(
                id: "receive", label: "Bước 1: Tiếp nhận yêu cầu", actor: .handleOnlineRequests, workingDayLimit: 1,
                outcomes: [outcome("receive", "Tiếp nhận, chuyển kiểm tra", "check")]),
            S(
                id: "check", label: "Bước 2: Kiểm tra tính hợp lệ", actor: .handleOnlineRequests, workingDayLimit: 1,
                outcomes: [
                    outcome("complete", "Đầy đủ, hợp lệ: tiếp nhận và đặt lịch hẹn", "appointment", note: true),
                    outcome("incomplete", "Chưa đầy đủ: hướng dẫn bổ sung", "awaiting-submitter", note: true),
                    outcome("refuse", "Từ chối (khoản 5 Điều 31 Luật THADS)", "refused", note: true),
                ]),
            S(
                id: "awaiting-submitter", label: "Chờ đương sự bổ sung hồ sơ", kind: .paused,
                actor: .handleOnlineRequests,
                outcomes: [outcome("supplemented", "Đương sự đã bổ sung hồ sơ", "check")]),
            S(
                id: "appointment", label: "Bước 3: Tiếp nhận trực tiếp, đối chiếu", actor: .handleOnlineRequests,
                workingDayLimit: 1,
                outcomes: [
                    outcome("matched", "Đối chiếu khớp: chuyển bộ phận chuyên môn", "processing", note: true),
                    outcome("incomplete", "Chưa đầy đủ: hướng dẫn bổ sung", "awaiting-at-appointment", note: true),
                ]),
            S(
                id: "awaiting-at-appointment", label: "Chờ đương sự bổ sung tại buổi hẹn", kind: .paused,
                actor: .handleOnlineRequests,
                outcomes: [outcome("supplemented", "Đương sự đã bổ sung hồ sơ", "appointment")]),
            S(
                id: "processing", label: "Bước 4: Thẩm tra, dự thảo văn bản", actor: .processOnlineRequests,
                workingDayLimit: 1,
                outcomes: [outcome("draft", "Trình dự thảo quyết định, thông báo", "approval")]),
            S(
                id: "approval", label: "Bước 5: Ký phê duyệt, trả kết quả", actor: .approveOnlineRequests,
                workingDayLimit: 1,
                outcomes: [
                    outcome("approve", "Ký phê duyệt, trả kết quả", "completed", note: true),
                    outcome("rework", "Trả lại để thẩm tra lại", "processing", note: true),
                ]),
            S(id: "completed", label: "Đã trả kết quả", kind: .final),
            S(id: "refused", label: "Đã từ chối", kind: .final),
        ])

    /// §2 — online support for a petition or report: classified on receipt, assigned by a leader, handled by the
    /// assigned officer (answer, transfer to the competent agency, or file without handling), signed by the
    /// leader (no fixed limit), and the result returned to the petitioner.
    public static let onlinePetition: StepMachine = try! StepMachine(
        name: "online-petition",
        initial: "receive",
        steps: [
            S(
                id: "receive", label: "Bước 1: Tiếp nhận, phân loại", actor: .handleOnlineRequests,
                workingDayLimit: 1,
                outcomes: [outcome("classify", "Phân loại, chuyển lãnh đạo phân công", "assign")]),
            S(
                id: "assign", label: "Bước 2: Lãnh đạo phân công", actor: .approveOnlineRequests, workingDayLimit: 1,
                outcomes: [outcome("assign", "Phân công công chức giải quyết", "handling")]),
            S(
                id: "handling", label: "Bước 3: Đề xuất xử lý", actor: .processOnlineRequests, workingDayLimit: 1,
                outcomes: [
                    outcome("propose-answer", "Dự thảo văn bản trả lời", "approval", note: true),
                    outcome("propose-transfer", "Đề xuất chuyển cơ quan có thẩm quyền", "approval", note: true),
                    outcome(
                        "file", "Lưu đơn, không xử lý (đơn trùng, đã gửi cơ quan có thẩm quyền)", "filed", note: true),
                ]),
            S(
                id: "approval", label: "Bước 4: Lãnh đạo ký văn bản trả lời", actor: .approveOnlineRequests,
                outcomes: [
                    outcome("approve", "Ký phê duyệt văn bản", "notify"),
                    outcome("rework", "Trả lại để xử lý lại", "handling", note: true),
                ]),
            S(
                id: "notify", label: "Bước 5: Thông báo kết quả", actor: .handleOnlineRequests, workingDayLimit: 1,
                outcomes: [
                    outcome("appointment", "Thuộc thẩm quyền: đặt lịch hẹn", "completed", note: true),
                    outcome("inform", "Thông báo, hướng dẫn người kiến nghị", "completed", note: true),
                ]),
            S(id: "completed", label: "Đã trả lời", kind: .final),
            S(id: "filed", label: "Lưu đơn, không xử lý", kind: .final),
        ])

    /// §3 — online support for a request to confirm the results of enforcement.
    public static let onlineResultConfirmation: StepMachine = try! StepMachine(
        name: "online-result-confirmation",
        initial: "receive",
        steps: [
            S(
                id: "receive", label: "Bước 1: Tiếp nhận yêu cầu", actor: .handleOnlineRequests, workingDayLimit: 1,
                outcomes: [outcome("receive", "Tiếp nhận, chuyển kiểm tra", "check")]),
            S(
                id: "check", label: "Bước 2: Kiểm tra tính hợp lệ", actor: .handleOnlineRequests, workingDayLimit: 1,
                outcomes: [
                    outcome("complete", "Đầy đủ, hợp lệ: tiếp nhận và đặt lịch hẹn", "verification", note: true),
                    outcome("incomplete", "Chưa đầy đủ: hướng dẫn bổ sung", "awaiting-submitter", note: true),
                    outcome("refuse", "Từ chối (không thuộc thẩm quyền)", "refused", note: true),
                ]),
            S(
                id: "awaiting-submitter", label: "Chờ đương sự bổ sung hồ sơ", kind: .paused,
                actor: .handleOnlineRequests,
                outcomes: [outcome("supplemented", "Đương sự đã bổ sung hồ sơ", "check")]),
            S(
                id: "verification", label: "Bước 3: Thẩm tra, dự thảo giấy xác nhận", actor: .processOnlineRequests,
                workingDayLimit: 1,
                outcomes: [outcome("draft", "Trình dự thảo giấy xác nhận", "appointment")]),
            S(
                id: "appointment", label: "Bước 4: Tiếp nhận trực tiếp, đối chiếu", actor: .handleOnlineRequests,
                workingDayLimit: 1,
                outcomes: [
                    outcome("matched", "Đối chiếu khớp: trình ký", "approval", note: true),
                    outcome("incomplete", "Chưa đầy đủ: hướng dẫn bổ sung", "awaiting-at-appointment", note: true),
                ]),
            S(
                id: "awaiting-at-appointment", label: "Chờ đương sự bổ sung tại buổi hẹn", kind: .paused,
                actor: .handleOnlineRequests,
                outcomes: [outcome("supplemented", "Đương sự đã bổ sung hồ sơ", "appointment")]),
            S(
                id: "approval", label: "Bước 5: Ký xác nhận, trả kết quả", actor: .approveOnlineRequests,
                workingDayLimit: 1,
                outcomes: [
                    outcome("approve", "Ký giấy xác nhận, trả kết quả", "completed", note: true),
                    outcome("rework", "Trả lại để thẩm tra lại", "verification", note: true),
                ]),
            S(id: "completed", label: "Đã trả kết quả", kind: .final),
            S(id: "refused", label: "Đã từ chối", kind: .final),
        ])
}

/// What a step's outcome tells the submitter, i.e. which notice template goes out (C4).
public enum OnlineNoticeKind: String, Sendable, CaseIterable, Hashable {
    case received
    case guidance
    case refusal
    case appointment
    case result

    /// The notice an outcome sends, nil for an internal move the submitter is not told about by email.
    public static func forOutcome(_ outcome: String, of procedure: OnlineProcedure) -> OnlineNoticeKind? {
        // The petition's leader signs at step 4; the petitioner hears of it at step 5.
        if procedure == .petition && outcome == "approve" { return nil }
        return switch outcome {
        case "incomplete": .guidance
        case "refuse": .refusal
        case "complete", "appointment": .appointment
        case "approve", "inform", "file": .result
        default: nil
        }
    }
}
