"""`madoguchi card-bridge` runs the counter PC's reader bridge without Django's settings or
database (lib/cardbridge.py); its mistakes are said before it listens."""

import pytest

from madoguchi import cli


def test_card_bridge_is_the_bridge_not_a_management_command(capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["card-bridge", "--port", "0", "--origin", "madoguchi.example"])
    assert exit_.value.code == 2
    assert "--origin must be scheme://host[:port]" in capsys.readouterr().err
