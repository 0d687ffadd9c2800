"""Register extracts for the import's tests, written as a core system would (synthetic)."""

import csv
import json

HEADER = ["宛名番号", "世帯番号", "氏名", "氏名の振り仮名", "生年月日", "性別", "続柄", "郵便番号",
          "都道府県", "市区町村", "町字", "番地", "方書", "住民となった年月日", "支援措置"]  # fmt: skip


def person(no, household, name, kana, birth="S55.3.2", sex="1", relation="世帯主", *,
           town="北4条東", banchi="1丁目2番地3", katagaki="", support="0", since="R2.4.1",
           change=None):  # fmt: skip
    row = {
        "宛名番号": no,
        "世帯番号": household,
        "氏名": name,
        "氏名の振り仮名": kana,
        "生年月日": birth,
        "性別": sex,
        "続柄": relation,
        "郵便番号": "090-0024",
        "都道府県": "北海道",
        "市区町村": "北見市",
        "町字": town,
        "番地": banchi,
        "方書": katagaki,
        "住民となった年月日": since,
        "支援措置": support,
    }
    if change is not None:
        row = {"異動区分": change} | row
    return row


def family():
    """One household of three (the child's name with an IVS) and one alone."""
    return [
        person("100001", "H1", "山田\u3000太郎", "ヤマダ\u3000タロウ"),
        person("100002", "H1", "山田\u3000花子", "ヤマダ\u3000ハナコ", "昭和57年7月7日", "2", "妻"),
        person("100003", "H1", "山田\u3000葛\U000e0100", "ヤマダ\u3000カズラ", "R2.5.5", "2", "子"),
        person(
            "100004",
            "H2",
            "髙橋\u3000健一",
            "タカハシ\u3000ケンイチ",
            "1970-01-01",
            town="春光町",
            banchi="3丁目4番5号",
            katagaki="メゾン春光201",
        ),  # fmt: skip
    ]


def write_csv(path, rows, *, encoding="utf-8"):
    header = list(rows[0])
    with open(path, "w", encoding=encoding, newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        for row in rows:
            w.writerow([row.get(h, "") for h in header])
    return path


def write_json(path, rows):
    path.write_text(json.dumps({"residents": rows}, ensure_ascii=False), encoding="utf-8")
    return path
