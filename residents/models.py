"""The resident register mirror (住民記録), with the national standard's items.

Names are stored exactly as given (IVS, non-BMP, compatibility ideographs); every
search goes through the *_key columns that lib.searchkey computes.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from lib import searchkey
from residents.practice import RegisterManager, training_field
from tenants.models import TenantModel


class Household(TenantModel):
    household_no = models.CharField(_("世帯番号"), max_length=20)
    zip = models.CharField(_("郵便番号"), max_length=7)
    pref = models.CharField(_("都道府県"), max_length=10)
    city = models.CharField(_("市区町村"), max_length=30)
    town = models.CharField(_("町字"), max_length=60)
    town_id = models.CharField(_("町字ID"), max_length=7, blank=True)
    banchi = models.CharField(_("番地以下"), max_length=60)
    katagaki = models.CharField(_("方書"), max_length=100, blank=True)
    phone = models.CharField(_("電話番号"), max_length=20, blank=True)
    # Folded "町字+番地+方書" for the address-fragment search (the counter search box).
    address_key = models.CharField(max_length=200)
    training = training_field()  # 練習モード's households (residents.practice)

    objects = RegisterManager()

    class Meta:
        # Unique within a municipality: each city numbers its own. The tenant comes second: a
        # leading tenant column would draw the planner away from the search indexes.
        constraints = [
            models.UniqueConstraint(fields=["household_no", "tenant"], name="household_no")
        ]
        indexes = [
            # The counter search box's address fragment: a prefix range (residents.search).
            # On PostgreSQL text_pattern_ops orders by bytes whatever the database collation,
            # which a prefix range needs; SQLite ignores opclasses (BINARY already does).
            models.Index(
                fields=["address_key"], name="household_address_key", opclasses=["text_pattern_ops"]
            ),
        ]

    def __str__(self):
        # The number only: wherever a household is printed (a message, a log line) its address
        # must not ride along — it may be a 支援措置 household's.
        return self.household_no

    def save(self, *args, **kwargs):
        self.fill_keys()
        super().save(*args, **kwargs)

    def fill_keys(self):
        """Compute the search key from the stored text (also used by bulk loaders)."""
        self.address_key = searchkey.address_key(self.town + self.banchi + self.katagaki)

    @property
    def address(self):
        return f"{self.pref}{self.city}{self.town}{self.banchi}"

    def as_address(self):
        return {
            "zip": self.zip,
            "pref": self.pref,
            "city": self.city,
            "town": self.town,
            "banchi": self.banchi,
            "katagaki": self.katagaki,
        }

    def members(self):
        current = [r for r in self.residents.all() if r.removed_on is None]
        return sorted(current, key=Resident.household_order)

    def protected_resident_ids(self) -> list[int]:
        """Its 支援措置 residents (accounts.access): any one protects the whole household.
        Served from a prefetch of `residents` when there is one (the search's)."""
        return [r.pk for r in self.residents.all() if r.support_measure]


class ResidentQuerySet(models.QuerySet):
    def matching(self, query: str, *, hide_protected: bool = False, fold_voicing: bool = True):
        """Residents whose name, reading, birth date or address matches the search box text;
        hide_protected leaves 支援措置 households out of address matches; fold_voicing lets a
        reading match without its 濁点・半濁点, the exact readings first."""
        from residents.search import match_residents

        return match_residents(
            self, query, hide_protected=hide_protected, fold_voicing=fold_voicing
        )


class Resident(TenantModel):
    class Sex(models.TextChoices):
        MALE = "1", _("男")
        FEMALE = "2", _("女")
        NA = "9", _("適用不能")
        UNKNOWN = "0", _("不明")

    person_no = models.CharField(_("宛名番号"), max_length=20)
    # Indexed by (household, kana_key) in Meta, which also serves every household_id lookup.
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="residents", db_index=False
    )
    name = models.CharField(_("氏名"), max_length=100)
    name_kana = models.CharField(_("氏名の振り仮名"), max_length=100, blank=True)
    name_alpha = models.CharField(_("氏名（アルファベット）"), max_length=100, blank=True)
    birth_date = models.DateField(_("生年月日"), db_index=True)  # the birth-date search
    sex = models.CharField(_("性別"), max_length=1, choices=Sex.choices)
    relation = models.CharField(_("続柄"), max_length=30)
    nationality = models.CharField(_("国籍・地域"), max_length=40, default="JP")
    residence_status = models.CharField(_("在留資格"), max_length=40, blank=True)
    residence_expiry = models.DateField(_("在留期間の満了日"), null=True, blank=True)
    residence_card_no = models.CharField(_("在留カード番号"), max_length=12, blank=True)
    section_30_45 = models.CharField(_("法30条の45区分"), max_length=20, blank=True)
    resident_since = models.DateField(_("住民となった年月日"), null=True, blank=True)
    mynumber_enc = models.TextField(blank=True)  # Fernet token; see residents.mynumber
    support_measure = models.BooleanField(_("支援措置"), default=False)
    # 消除: left the register (転出, 死亡) in a load from the core system while a visit still
    # names them; the search leaves them out (residents.search), the visit keeps its person.
    # Residents nothing refers to are deleted instead (residents.importer).
    removed_on = models.DateField(_("消除日"), null=True, blank=True)
    # Facts of life-events.md that the register and its connected systems know
    # (insurance, pension, care, handbooks, allowances…). A missing key is unknown.
    facts = models.JSONField(default=dict, blank=True)

    # Search keys (lib.searchkey): prefix range scans on these B-tree indexes serve
    # the counter search box on SQLite and PostgreSQL alike (indexes in Meta).
    name_key = models.CharField(max_length=100)
    given_key = models.CharField(max_length=100)
    kana_key = models.CharField(max_length=100)
    kana_given_key = models.CharField(max_length=100)
    # The reading keys without 濁点・半濁点 (searchkey.seion_key): ヤマサキ finds ヤマザキ.
    kana_seion_key = models.CharField(max_length=100, default="")
    kana_given_seion_key = models.CharField(max_length=100, default="")

    training = training_field()  # 練習モード's residents (residents.practice)

    objects = RegisterManager.from_queryset(ResidentQuerySet)()

    class Meta:
        # Unique within a municipality: each city numbers its own. The tenant comes second: a
        # leading tenant column would draw the planner away from the search indexes.
        constraints = [
            models.UniqueConstraint(fields=["person_no", "tenant"], name="resident_person_no")
        ]
        # The counter search box (residents.search) takes a prefix range on one key and wants
        # the hits in kana order: with kana_key second, each index answers both without
        # reading the table, so a common surname among a million people costs a few ms.
        # text_pattern_ops for the same reason as Household.address_key (byte order on
        # PostgreSQL under any collation); SQLite ignores opclasses.
        indexes = [
            models.Index(
                fields=["kana_key"], name="resident_kana_key", opclasses=["text_pattern_ops"]
            ),
            *(
                models.Index(
                    fields=[key, "kana_key"],
                    name=f"resident_{key}",
                    opclasses=["text_pattern_ops", "text_pattern_ops"],
                )
                for key in (
                    "name_key",
                    "given_key",
                    "kana_given_key",
                    # The folded reading branches (residents.search) walk these in index
                    # order (folded key, then kana), so they need no sort either.
                    "kana_seion_key",
                    "kana_given_seion_key",
                )
            ),
            models.Index(fields=["household", "kana_key"], name="resident_household_kana"),
            # accounts.access asks of every visit page and search which of the people shown are
            # 支援措置: the few flagged residents, not a scan of the register (8 ms at 20,000,
            # growing with the city).
            models.Index(
                fields=["household"],
                name="resident_protected",
                condition=models.Q(support_measure=True),
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.fill_keys()
        super().save(*args, **kwargs)

    def fill_keys(self):
        """Compute the search keys from the stored text (also used by bulk loaders)."""
        _surname, _sep, given = self.name.partition("\u3000")
        _kana_surname, _sep, kana_given = (self.name_kana or self.name_alpha).partition("\u3000")
        self.name_key = searchkey.name_key(self.name)
        self.given_key = searchkey.name_key(given)
        self.kana_key = searchkey.kana_key(self.name_kana or self.name_alpha)
        self.kana_given_key = searchkey.kana_key(kana_given)
        self.kana_seion_key = searchkey.seion_key(self.kana_key)
        self.kana_given_seion_key = searchkey.seion_key(self.kana_given_key)

    def protected_resident_ids(self) -> list[int]:
        """Protected when they or anyone of their household is (accounts.access)."""
        ids = set(self.household.protected_resident_ids()) if self.household_id else set()
        return sorted(ids | ({self.pk} if self.support_measure else set()))

    @property
    def is_foreign(self):
        return self.nationality != "JP"

    @property
    def is_head(self):
        return self.relation == "世帯主"

    RELATION_ORDER = ["世帯主", "妻", "夫", "妻(未届)", "夫(未届)", "子"]

    @staticmethod
    def household_order(r):
        """resident-record.md: 世帯主 → 配偶者 → 子 (by birth) → … → 縁故者 → 同居人."""
        rel = r.relation
        if rel in Resident.RELATION_ORDER:
            rank = Resident.RELATION_ORDER.index(rel)
        elif rel.startswith("子の"):
            rank = 6
        elif rel in ("父", "母"):
            rank = 7
        elif rel in ("兄", "姉", "弟", "妹"):
            rank = 8
        elif rel == "縁故者":
            rank = 10
        elif rel == "同居人":
            rank = 11
        else:
            rank = 9
        return (rank, r.birth_date)
