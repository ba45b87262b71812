"""runlen's exceptions: every malformed encoding or short output is a runlen.Error."""


class Error(ValueError):
    """A malformed encoding or an output buffer too small (a ValueError)."""

    def __str__(self) -> str:
        # args is (message,) or (message, attribute): show the message alone.
        return str(self.args[0]) if self.args else ""


class TruncatedPair(Error):
    """The encoded data has an odd length: its last pair is cut."""


class ZeroCount(Error):
    """A pair has count 0; ``offset`` is the byte offset of its value byte."""

    offset: int

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message, offset)
        self.offset = offset


class TruncatedPacket(Error):
    """A PackBits packet is cut off by the end of the data; ``offset`` is the byte offset
    of its header."""

    offset: int

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message, offset)
        self.offset = offset


class OutputTooSmall(Error):
    """``out`` is too short; ``needed`` is the exact length the call needs."""

    needed: int

    def __init__(self, message: str, needed: int) -> None:
        super().__init__(message, needed)
        self.needed = needed
