/// Vietnamese personal and organisation names for generated (demo and benchmark) data, with family names in their
/// real proportions so that name search is measured on a realistic spread: about 38 % Nguyễn, then Trần, Lê, Phạm…
/// (published surname surveys; the tail is grouped).
public enum VietnameseNames {
    /// Family names with their share in per mille.
    public static let familyNames: [(name: String, perMille: Int)] = [
        ("Nguyễn", 380), ("Trần", 110), ("Lê", 95), ("Phạm", 70), ("Hoàng", 30), ("Huỳnh", 21), ("Phan", 45),
        ("Vũ", 22), ("Võ", 17), ("Đặng", 21), ("Bùi", 20), ("Đỗ", 14), ("Hồ", 13), ("Ngô", 13), ("Dương", 10),
        ("Lý", 5), ("Đinh", 8), ("Trương", 8), ("Lâm", 6), ("Mai", 6), ("Đoàn", 6), ("Trịnh", 6), ("Lương", 5),
        ("Cao", 5), ("Tạ", 4), ("Hà", 5), ("Tô", 4), ("Quách", 3), ("Châu", 3), ("Lưu", 4), ("Kiều", 2),
        ("Thái", 3), ("Tăng", 2), ("Văn", 2), ("La", 2), ("Khúc", 1), ("Âu", 1), ("Ông", 1), ("Mạc", 1),
        ("Nghiêm", 2), ("Chu", 3), ("Triệu", 3), ("Vương", 3), ("Phùng", 3), ("Từ", 2), ("Doãn", 1), ("Tôn", 1),
    ]

    public static let maleMiddleNames = ["Văn", "Hữu", "Đức", "Minh", "Quang", "Công", "Thành", "Ngọc", "Xuân", "Anh"]
    public static let femaleMiddleNames = ["Thị", "Ngọc", "Thu", "Thanh", "Minh", "Hồng", "Kim", "Thùy", "Bích", "Mai"]

    public static let maleGivenNames = [
        "An", "Bình", "Cường", "Dũng", "Đức", "Giang", "Hải", "Hiếu", "Hòa", "Hùng", "Huy", "Khánh", "Khoa", "Kiên",
        "Long", "Lâm", "Minh", "Nam", "Nghĩa", "Phong", "Phúc", "Quân", "Quang", "Sơn", "Tài", "Thắng", "Thành",
        "Thịnh",
        "Toàn", "Trung", "Tuấn", "Tùng", "Việt", "Vinh", "Vũ", "Hưng", "Hoàng", "Đạt", "Thuận", "Khải",
    ]
    public static let femaleGivenNames = [
        "An", "Anh", "Châu", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa", "Hòa", "Hương", "Huyền",
        "Lan", "Liên", "Linh", "Loan", "Mai", "My", "Nga", "Ngân", "Ngọc", "Nhung", "Oanh", "Phương", "Quyên", "Quỳnh",
        "Tâm", "Thảo", "Thơ", "Thủy", "Trang", "Trinh", "Tuyết", "Uyên", "Vân", "Xuân", "Yến", "Diệp",
    ]

    public static let organisationForms = ["Công ty TNHH", "Công ty cổ phần", "Doanh nghiệp tư nhân", "Hợp tác xã"]
    public static let organisationWords = [
        "Thành Công", "Phú Thịnh", "Hưng Thịnh", "Đại Việt", "Sông Hồng", "Mekong", "Hoàng Long", "Tân Phát",
        "Minh Khang", "An Phú", "Bình Minh", "Trường Sơn", "Hải Âu", "Phương Nam", "Việt Tiến", "Kim Ngân",
        "Thiên Phúc", "Đông Á", "Sao Mai", "Hòa Bình",
    ]

    /// Cumulative per-mille bounds of `familyNames`, for drawing with a number in 0..<total.
    public static let familyNameBounds: (bounds: [Int], total: Int) = {
        var sum = 0
        let bounds = familyNames.map { entry -> Int in
            sum += entry.perMille
            return sum
        }
        return (bounds, sum)
    }()

    /// The family name for a draw in 0..<familyNameBounds.total.
    public static func familyName(draw: Int) -> String {
        let bounds = familyNameBounds.bounds
        var low = 0
        var high = bounds.count - 1
        while low < high {
            let mid = (low + high) / 2
            if draw < bounds[mid] { high = mid } else { low = mid + 1 }
        }
        return familyNames[low].name
    }
}

/// A small, fast, seedable generator (SplitMix64), so generated data is the same for the same seed on every machine.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
