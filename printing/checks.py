"""A start-up check for templates the field designer saved into the source tree before its
files moved under the data directory: they still print (the pack's folder is read), but a
backup of the data directory does not hold them."""

from django.conf import settings
from django.core.checks import Warning, register

from printing.templates_loader import SHIPPED, pack_forms_dir

DESIGNER_MARK = "placed with the field designer"  # the first line designer.save writes


def designer_files_in_pack() -> list[str]:
    names = []
    for folder in dict.fromkeys([SHIPPED, pack_forms_dir()]):
        for f in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
            with f.open(encoding="utf-8") as fh:
                if DESIGNER_MARK in fh.readline():
                    names.append(str(f))
    return names


@register()
def designer_files_live_in_the_data_directory(app_configs, **kwargs):
    found = designer_files_in_pack()
    if not found:
        return []
    return [
        Warning(
            "様式の設計で保存した様式がソースツリーにあります: "
            + "、".join(found)
            + f"。バックアップに含めるため、同名の PDF とともに {settings.PRINTING_FORMS_DIR} "
            "に移してください（docs/operations.md）。",
            id="madoguchi.W010",
        )
    ]
