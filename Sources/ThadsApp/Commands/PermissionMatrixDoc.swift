import ThadsDomain

enum PermissionMatrixDoc {
    static var text: String {
        PermissionMatrix.markdown() + """

            ## Phạm vi dữ liệu (data scope)

            | Đơn vị của tài khoản | Thấy dữ liệu của |
            |---|---|
            | Cục Quản lý THADS | mọi đơn vị |
            | THADS tỉnh/thành phố | chính mình và các phòng THADS khu vực trực thuộc |
            | Phòng THADS khu vực | chính mình |
            | Tài khoản ngoài hệ thống | chỉ các đơn vị được cấp, chỉ đọc, đến ngày hết hạn |

            Xác thực hai lớp (TOTP) bắt buộc với quản trị Cục, quản trị địa phương và Thủ trưởng / Lãnh đạo.

            """
    }
}
