"""A PC/SC card reader through pyscard, as a lib.cardap transport.

Shared by the server-side read (counter/card.py, MADOGUCHI_CARD_READER=pcsc:) and the counter
PC's reader bridge (lib/cardbridge.py). pyscard is imported only when a reader is opened, so a
machine without libpcsclite still runs everything else.
"""

from lib import cardap


class PcscConnection:
    """The first reader whose name contains `name_part` (any reader for ""), connected to the
    card on it; close() when the read ends."""

    def __init__(self, name_part: str = ""):
        try:
            from smartcard.Exceptions import CardConnectionException, NoCardException
            from smartcard.System import readers
        except ImportError as e:  # pyscard or libpcsclite missing on this machine
            raise cardap.NoReader(str(e)) from e
        try:
            found = [r for r in readers() if name_part in str(r)]
        except Exception as e:  # no PC/SC service (pcscd not running): no reader to talk to
            raise cardap.NoReader(str(e)) from e
        if not found:
            raise cardap.NoReader("no PC/SC reader")
        self.connection = found[0].createConnection()
        try:
            self.connection.connect()
        except (NoCardException, CardConnectionException) as e:
            raise cardap.NoCard(str(e)) from e

    def transmit(self, apdu):
        return self.connection.transmit(list(apdu))

    def close(self):
        try:
            self.connection.disconnect()
        except Exception:  # already gone (card pulled): nothing to release
            pass
