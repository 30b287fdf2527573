"""Writes an N-row legacy-import CSV in the template of docs/import.md, for measuring `thads import cases`.

Every row is valid and the keys (legacy code, judgment number, ID number) are distinct, so a dry run reports no
problem and a commit creates N cases. Usage: python3 scripts/import-bench-file.py 100000 cases-100k.csv
"""
import csv, random, sys
n = int(sys.argv[1]); out = sys.argv[2]
random.seed(7)
cols = "unit_code,legacy_code,start_mode,request_received_on,court_code,judgment_number,judgment_date,effective_date,judgment_kind,decision_number,decision_date,decision_ground,decision_signer,status,resume_status,closed_on,debtor_kind,debtor_name,debtor_birth_year,debtor_id_number,debtor_address,creditor_kind,creditor_name,creditor_address,obligation_kind,obligation_mode,obligation_amount,obligation_description,obligation_beneficiary,collected,paid_out,money_as_of".split(",")
family = ["Nguyễn","Trần","Lê","Phạm","Hoàng","Vũ","Đặng","Bùi","Đỗ","Hồ"]
middle = ["Văn","Thị","Hữu","Đức","Minh","Thu","Quang"]
given = ["An","Bình","Cường","Dung","Em","Hoa","Giang","Hạnh","Khánh","Lan","Mai","Nam","Phúc","Quý","Sơn"]
statuses = [("co-dieu-kien","",""),("da-thu-ly","",""),("chua-co-dieu-kien","",""),("hoan-thi-hanh-an","co-dieu-kien",""),("thi-hanh-xong","","15/07/2026")]
with open(out, "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(cols)
    for i in range(1, n + 1):
        unit = random.choice(["01", "79"])
        st, resume, closed = statuses[i % len(statuses)]
        mode = "theo-don" if i % 2 else "chu-dong"
        name = f"{random.choice(family)} {random.choice(middle)} {random.choice(given)} {i}"
        amount = random.randint(1, 5000) * 100000
        collected = amount if st == "thi-hanh-xong" else (amount // 2 if i % 3 == 0 else 0)
        row = {
            "unit_code": unit, "legacy_code": f"CU-{i:07d}", "start_mode": mode,
            "request_received_on": "25/09/2025" if mode == "theo-don" else "",
            "court_code": f"TAND-{unit}", "judgment_number": f"{i}/2025/DS-ST", "judgment_date": "15/08/2025",
            "effective_date": "20/09/2025", "judgment_kind": "DS", "decision_number": f"{i}/QĐ-THADS",
            "decision_date": "01/10/2025", "decision_ground": "D36-2" if mode == "theo-don" else "D36-1A",
            "decision_signer": "Trần Văn Thủ", "status": st, "resume_status": resume, "closed_on": closed,
            "debtor_kind": "ca-nhan", "debtor_name": name, "debtor_birth_year": str(random.randint(1950, 2000)),
            "debtor_id_number": f"0{random.randint(1,96):02d}0{random.randint(50,99)}{i:06d}",
            "debtor_address": f"{i} Hàng Bạc, Hà Nội", "creditor_kind": "ca-nhan" if mode == "theo-don" else "",
            "creditor_name": "Lê Thị Được" if mode == "theo-don" else "", "creditor_address": "",
            "obligation_kind": "TRA-NO" if mode == "theo-don" else "AN-PHI", "obligation_mode": "tra-tien",
            "obligation_amount": f"{amount:,}".replace(",", "."), "obligation_description": "",
            "obligation_beneficiary": "nguoi-duoc-thi-hanh" if mode == "theo-don" else "ngan-sach",
            "collected": f"{collected:,}".replace(",", ".") if collected else "", "paid_out": "",
            "money_as_of": "31/07/2026" if collected else "",
        }
        w.writerow([row[c] for c in cols])
