"""Sample packets: demo households as PacketData, built by hand (no catalog, no database).

The printing tests, the benchmark and the field designer's preview all print these.

- family_of_four(): tennyu-family-of-four.yaml's household and procedures, plus the
  husband's mother 葛󠄂西 トメ, whose 葛 carries the Moji_Joho selector U+E0102 (only
  IPAmj明朝 has that glyph) while the family's 葛󠄀 carries the Adobe-Japan1 U+E0100.
- foreign_couple(): tennyu-from-abroad.yaml with names in the alphabet and 在留 data.
- many_movers(n): one household of n movers, for the 住民異動届's 続紙.
"""

from __future__ import annotations

from datetime import date

from printing.data import PacketData, PersonData, Procedure

AJ1 = "\U000e0100"  # Adobe-Japan1 selector: IPAex明朝 has 葛 + U+E0100
MJ = "\U000e0102"  # Moji_Joho selector: IPAmj明朝 has 葛 + U+E0102
KUZU_AJ1 = "葛" + AJ1
KUZU_MJ = "葛" + MJ
YOSHI = "\U00020bb7"  # 𠮷, outside the BMP, only in IPAmj明朝

EVENT_DATE = date(2026, 4, 10)
KITAMI = {"zip": "0900024", "pref": "北海道", "city": "北見市", "town": "北4条東",
          "banchi": "3-12", "katagaki": "コーポ北見 201"}  # fmt: skip
SAPPORO = {"zip": "0600001", "pref": "北海道", "city": "札幌市中央区", "town": "北1条西",
           "banchi": "2-1"}  # fmt: skip

SHIMIN = ("shimin", "市民課", "本庁舎1階 1番窓口")
HOKEN = ("hoken_nenkin", "保険年金課", "本庁舎1階 3番窓口")
KAIGO = ("kaigo", "介護保険課", "本庁舎1階 4番窓口")
KODOMO = ("kodomo", "子育て支援課", "本庁舎2階 5番窓口")
KYOIKU = ("kyoiku", "教育委員会 学務課", "第2庁舎3階")
KANKYO = ("kankyo", "環境課", "第2庁舎1階")
SUIDO = ("suido", "上下水道課", "上下水道局庁舎1階")
DOBUTSU = ("dobutsu", "生活環境課", "第2庁舎1階")
SHOGAI = ("shogai", "障害福祉課", "本庁舎2階 7番窓口")
ZEIMU = ("zeimu", "税務課", "本庁舎3階")
REIEN = ("reien", "環境課 霊園係", "第2庁舎1階")


# Procedure ids of these packets -> the pack's form ids (catalogs/default/procedures).
FORM_OF = {
    "jumin_tennyu": "jumin_ido", "jumin_shibo": "jumin_ido", "mynacard_keizoku": "mynacard_henko",
    "koki_tennyu": "koki_ido", "kaigo_tennyu": "kaigo_ido", "kokuho_kanyu": "kokuho_ido",
    "koki_soshitsu": "koki_ido", "kaigo_soshitsu": "kaigo_ido", "kokuho_soshitsu_death": "kokuho_ido",
    "kokuho_birth": "kokuho_ido", "kokuho_soshitsu": "kokuho_ido", "jidoteate_birth": "jidoteate_nintei",
    "inu_shoyusha": "inu_henko", "inkan_henko": "inkan_toroku", "mynacard_jusho": "mynacard_henko",
    "mynacard_henko": "mynacard_henko", "kodomo_iryo_birth": "kodomo_iryo",
}  # fmt: skip


def proc(id, person, dept, kind, title, *, deadline=None, reason="", bring=(), status="applies",
         question=None, form=None):  # fmt: skip
    department, department_name, location = dept
    return Procedure(
        id=id, person=person, department=department, department_name=department_name,
        location=location, kind=kind, status=status, deadline=deadline, reason=reason,
        question=question, title=title, bring=list(bring),
        form=(form or FORM_OF.get(id, id)) if kind == "form" else None,
    )  # fmt: skip


def family_people() -> list[PersonData]:
    return [
        PersonData("father", f"{KUZU_AJ1}西\u3000辰治", "カサイ\u3000タツジ", date(1988, 5, 12), "1",
                   "世帯主", moving=True, applicant=True, has_mynumber_card=True),
        PersonData("mother", f"{KUZU_AJ1}西\u3000美咲", "カサイ\u3000ミサキ", date(1990, 8, 3), "2",
                   "妻", moving=True, has_mynumber_card=True),
        PersonData("child1", f"{KUZU_AJ1}西\u3000{YOSHI}乃", "カサイ\u3000ヨシノ", date(2018, 6, 20),
                   "2", "子", moving=True, has_mynumber_card=False),
        PersonData("child2", f"{KUZU_AJ1}西\u3000髙志", "カサイ\u3000タカシ", date(2022, 1, 15), "1",
                   "子", moving=True, has_mynumber_card=False),
        PersonData("grandma", f"{KUZU_MJ}西\u3000トメ", "カサイ\u3000トメ", date(1951, 3, 3), "2",
                   "母", moving=True, has_mynumber_card=None),
    ]  # fmt: skip


def family_procedures() -> list[Procedure]:
    d14, d15, d30 = date(2026, 4, 24), date(2026, 4, 25), date(2026, 5, 10)
    return [
        proc("jumin_tennyu", None, SHIMIN, "form", "住民異動届（転入届）", deadline=d14,
             reason="他の市区町村から転入したため（住民基本台帳法22条）",
             bring=["転出証明書", "本人確認書類"]),
        proc("mynacard_keizoku", "father", SHIMIN, "form", "個人番号カード 継続利用・券面記載事項変更",
             deadline=date(2026, 7, 9), reason="マイナンバーカードをお持ちで、転入したため",
             bring=["マイナンバーカード", "暗証番号（数字4桁）"]),
        proc("mynacard_keizoku", "mother", SHIMIN, "form", "個人番号カード 継続利用・券面記載事項変更",
             deadline=date(2026, 7, 9), reason="マイナンバーカードをお持ちで、転入したため",
             bring=["マイナンバーカード", "暗証番号（数字4桁）"]),
        proc("koki_tennyu", "grandma", HOKEN, "form", "後期高齢者医療 異動届", deadline=d14,
             reason="75歳以上で転入したため", bring=["負担区分等証明書"]),
        proc("kaigo_tennyu", "grandma", KAIGO, "form", "介護保険 資格取得（異動）届", deadline=d14,
             reason="65歳以上で転入したため"),
        proc("jidoteate_nintei", "father", KODOMO, "form", "児童手当 認定請求書", deadline=d15,
             reason="18歳年度末までの子と転入した生計中心者のため",
             bring=["請求者名義の預金通帳", "健康保険の資格情報が分かるもの"]),
        proc("kodomo_iryo", "child1", KODOMO, "form", "子ども医療費受給資格証 交付申請",
             reason="18歳年度末までの子のため"),
        proc("kodomo_iryo", "child2", KODOMO, "form", "子ども医療費受給資格証 交付申請",
             reason="18歳年度末までの子のため"),
        proc("hoiku", "child2", KODOMO, "form", "保育施設等 利用申込",
             reason="就学前の子で、保育施設の利用を希望しているため",
             bring=["就労証明書"]),
        proc("tennyugaku", "child1", KYOIKU, "form", "転入学（転入学通知書の交付）",
             reason="小学校・中学校の学齢の子のため",
             bring=["在学証明書", "教科用図書給与証明書"]),
        proc("suido_kaishi", None, SUIDO, "form", "水道使用開始届",
             reason="新しい住居に入居したため"),
        proc("inu_henko", "father", DOBUTSU, "form", "犬の登録事項変更届", deadline=d30,
             reason="登録された犬を飼っているため", bring=["旧鑑札", "狂犬病予防注射済票"]),
        proc("gomi_annai", None, KANKYO, "guidance", "ごみ分別・収集日の案内",
             reason="転入した世帯にごみの出し方をご案内します"),
        proc("shogai_jusho", "grandma", SHOGAI, "form", "障害者手帳 居住地変更届",
             status="needs_check", reason="障害者手帳をお持ちの方は居住地の変更が必要です",
             question="障害者手帳（身体・療育・精神）をお持ちですか"),
    ]  # fmt: skip


FAMILY_FACTS = {
    "father": {"health_insurance": "shaho", "pension_category": "2", "main_earner": True,
               "public_servant": False, "owns_dog": True,
               "water_contract_holder": True},
    "mother": {"health_insurance": "shaho", "pension_category": "3"},
    "child1": {"health_insurance": "shaho"},
    "child2": {"health_insurance": "shaho"},
    "grandma": {"health_insurance": "koki", "care_certified": False,
                "receives_pension": True},
}  # fmt: skip
FAMILY_NUMBERS = {
    "father": {"kiso_nenkin": "1234-567890"},
    "mother": {"kiso_nenkin": "2345-678901"},
    "grandma": {"koki": "12345678", "kaigo": "0000123456", "kiso_nenkin": "3456-789012"},
}


def family_of_four(**overrides) -> PacketData:
    data = PacketData(
        visit_number="0123",
        municipality="北見市",
        issued_on=EVENT_DATE,
        events=["tennyu"],
        event_names=["転入"],
        move="in",
        event_date=EVENT_DATE,
        new_address=dict(KITAMI),
        old_address=dict(SAPPORO),
        phone="090-0000-0000",
        household_head_name=f"{KUZU_AJ1}西\u3000辰治",
        old_household_head_name=f"{KUZU_AJ1}西\u3000辰治",
        people=family_people(),
        procedures=family_procedures(),
        household_facts={"wants_daycare": True, "new_dwelling": True},
    )
    for p in data.people:
        p.facts = dict(FAMILY_FACTS.get(p.key, {}))
        p.numbers = dict(FAMILY_NUMBERS.get(p.key, {}))
    for k, v in overrides.items():
        setattr(data, k, v)
    return data


def foreign_couple() -> PacketData:
    day = date(2026, 10, 1)
    people = [
        PersonData("a", "NGUYEN VAN AN", "", date(1993, 4, 4), "1", "世帯主", nationality="ベトナム",
                   residence_status="技術・人文知識・国際業務", residence_expiry=date(2029, 3, 31),
                   residence_card_no="AB12345678CD", moving=True, applicant=True,
                   has_mynumber_card=False),
        PersonData("b", "TRAN THI BICH", "", date(1995, 9, 9), "2", "妻", nationality="ベトナム",
                   residence_status="家族滞在", residence_expiry=date(2029, 3, 31),
                   residence_card_no="EF87654321GH", moving=True, has_mynumber_card=False),
    ]  # fmt: skip
    procedures = [
        proc("jumin_tennyu", None, SHIMIN, "form", "住民異動届（転入届）", deadline=date(2026, 10, 15),
             reason="国外から転入したため", bring=["在留カード", "パスポート"]),
        proc("kokuho_kanyu", "a", HOKEN, "form", "国民健康保険 資格取得届", deadline=date(2026, 10, 15),
             reason="職場の健康保険に加入していないため"),
        proc("zairyu_card", "b", SHIMIN, "form", "在留カード 住居地届出（裏面記載）",
             deadline=date(2026, 10, 15), reason="中長期在留者のため", bring=["在留カード"]),
    ]  # fmt: skip
    return PacketData(
        visit_number="0456", municipality="北見市", issued_on=day, events=["tennyu_abroad"],
        event_names=["国外からの転入"], move="in", abroad=True, event_date=day, new_address=dict(KITAMI),
        old_address={"country": "ベトナム", "text": "12 Nguyen Hue, District 1, Ho Chi Minh City"},
        phone="080-1111-2222", household_head_name="NGUYEN VAN AN", old_household_head_name="",
        people=people, procedures=procedures,
    )  # fmt: skip


GIVEN = [
    "一郎",
    "二郎",
    "三郎",
    "四郎",
    "五郎",
    "花子",
    "春子",
    "夏子",
    "秋子",
    "冬子",
    "六郎",
    "七子",
]


def many_movers(n: int) -> PacketData:
    people = [
        PersonData(f"p{i}", f"佐藤\u3000{GIVEN[i % len(GIVEN)]}", "サトウ\u3000タロウ",
                   date(1960 + i, 1 + i % 12, 1 + i % 28), "1" if i % 2 else "2",
                   "世帯主" if i == 0 else "子", moving=True, applicant=i == 0,
                   has_mynumber_card=i % 2 == 0)
        for i in range(n)
    ]  # fmt: skip
    procedures = [
        proc(
            "jumin_tennyu",
            None,
            SHIMIN,
            "form",
            "住民異動届（転入届）",
            deadline=date(2026, 4, 24),
            reason="他の市区町村から転入したため",
        ),
    ]
    return family_of_four(
        people=people,
        procedures=procedures,
        household_head_name=people[0].name,
        old_household_head_name=people[0].name,
    )


def death_household() -> PacketData:
    """死亡: the grandmother of the family dies; her son is the applicant (喪主, 相続人)."""
    day = date(2026, 6, 2)
    people = family_people()
    people[0].moving = False
    for p in people[1:4]:
        p.applicant = p.moving = False
    grandma = people[4]
    grandma.moving = False
    grandma.facts = {
        "health_insurance": "koki",
        "care_certified": True,
        "owns_property": True,
        "municipal_grave_holder": True,
        "receives_pension": True,
        "water_contract_holder": True,
    }
    grandma.numbers = dict(FAMILY_NUMBERS["grandma"])
    d14 = date(2026, 6, 16)
    procedures = [
        proc("shibo_todoke", "grandma", SHIMIN, "form", "死亡届・火葬許可申請書（提出済みの場合は不要）",
             deadline=date(2026, 6, 8), reason="亡くなった方がいるため"),
        proc("koki_soshitsu", "grandma", HOKEN, "form", "後期高齢者医療 資格喪失届（死亡）", deadline=d14,
             reason="後期高齢者医療の被保険者が亡くなったため", bring=["資格確認書"]),
        proc("koki_sosaihi", "grandma", HOKEN, "form", "後期高齢者医療 葬祭費支給申請（喪主に50,000円）",
             reason="後期高齢者医療の被保険者の葬儀を行ったため", bring=["会葬礼状または葬儀の領収書", "喪主名義の預金通帳"]),
        proc("kogaku_ryoyohi", "grandma", HOKEN, "form", "高額療養費 支給申請（相続人）",
             reason="高額療養費の未支給分があるため", bring=["相続人の預金通帳"]),
        proc("hokenryo_kanpu", "grandma", HOKEN, "form", "保険料の還付金 振込口座届（相続人）",
             reason="保険料の還付があるため"),
        proc("kaigo_soshitsu", "grandma", KAIGO, "form", "介護保険 資格喪失届（被保険者証を返却）", deadline=d14,
             reason="介護保険の被保険者が亡くなったため", bring=["介護保険被保険者証"]),
        proc("kaigo_kanpu", "grandma", KAIGO, "form", "介護保険料 還付（相続人の申請）",
             reason="介護保険料の還付があるため"),
        proc("sozokunin_daihyosha", "grandma", ZEIMU, "form", "固定資産税 相続人代表者指定届",
             reason="固定資産を所有していたため"),
        proc("bochi_meigi", "grandma", REIEN, "form", "市営墓地 使用者名義変更",
             reason="市営墓地の使用者だったため", bring=["戸籍謄本"]),
        proc("suido_meigi", "grandma", SUIDO, "form", "水道 使用者名義変更届",
             reason="水道の使用者だったため"),
        proc("nenkin_annai", "grandma", HOKEN, "guidance", "年金の未支給請求・遺族年金（年金事務所）",
             reason="年金を受けていたため"),
    ]  # fmt: skip
    return PacketData(
        visit_number="0789", municipality="北見市", issued_on=day, events=["death"],
        event_names=["死亡"], event_date=day, new_address=dict(KITAMI), old_address={},
        phone="090-0000-0000", household_head_name=people[0].name,
        old_household_head_name=people[0].name, people=people, procedures=procedures,
    )  # fmt: skip
