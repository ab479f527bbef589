"""Turning a CSV file's bytes into text, saying which encoding was assumed.

HR and payroll systems write CSV in whatever their PC uses: UTF-8 (with or without a byte-order
mark), UTF-16 (Excel's "Unicode text"), Windows-1252 in the UK, but also Windows-1250 or Latin-2
for Central European names, Mac Roman, KOI8-R or Shift-JIS. Decoding such a file as the wrong one
garbles every accented name without any error, so the encoding is detected (byte-order marks
first, then strict UTF-8, then `charset-normalizer`) and the import shows what it assumed and a
sample of the names read with it, before anything is written. The person can name another
encoding and read the file again.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from arrs_desk.errors import ValidationError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE, whose mark it starts with
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

LABELS = {
    "utf_8": "UTF-8", "utf_8_sig": "UTF-8", "ascii": "UTF-8", "utf_16": "UTF-16", "utf_16_le": "UTF-16",
    "utf_16_be": "UTF-16", "utf_32": "UTF-32", "cp1252": "Windows-1252 (Western European)",
    "cp1250": "Windows-1250 (Central European)", "iso8859_2": "ISO-8859-2 (Latin-2, Central European)",
    "latin_1": "ISO-8859-1 (Latin-1)", "iso8859_15": "ISO-8859-15 (Latin-9)", "mac_roman": "Mac Roman",
    "mac_iceland": "Mac Roman (Icelandic)", "koi8_r": "KOI8-R (Russian)", "cp1251": "Windows-1251 (Cyrillic)",
    "shift_jis": "Shift-JIS (Japanese)", "cp932": "Shift-JIS (Japanese, Windows)",
}
"""How an encoding is named to a person; others are shown by their Python name."""

COMMON_ENCODINGS = ("utf-8", "utf-16", "cp1252", "cp1250", "iso8859_2", "cp1251", "koi8_r", "mac_roman",
                    "shift_jis", "latin_1")
"""Offered when a person says the names look wrong; any other Python codec name is accepted too."""

DETECT_SAMPLE = 4 * 1024 * 1024
"""Detection looks at no more than this much of the file: enough for any staff list's names."""
UK_TIE = 0.01
"""How much less likely (in charset-normalizer's "chaos") Windows-1252 may look than the best guess
and still be chosen: UK HR exports are mostly Windows-1252, and a few accented names fit Baltic or
Central European code pages just as well."""


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str  # Python's name for it, e.g. "cp1250"; pass it back to read the file the same way
    detected: bool  # True when guessed from the bytes (no byte-order mark, not valid UTF-8)

    @property
    def label(self) -> str:
        return label(self.encoding)

    @property
    def is_unicode(self) -> bool:
        return self.encoding.replace("-", "_").startswith("utf")


def label(encoding: str) -> str:
    key = codecs.lookup(encoding).name.replace("-", "_")
    return LABELS.get(key, LABELS.get(encoding.replace("-", "_").lower(), encoding))


def _not_text(name: str) -> ValidationError:
    return ValidationError.single("file", f"{name} is not a text (CSV) file: it holds bytes no text encoding "
                                          "gives. Save it from the spreadsheet as 'CSV UTF-8' and import that.")


def decode(raw: bytes, name: str, encoding: str | None = None) -> DecodedText:
    """The file's text, and the encoding it was read with (`encoding` to force one)."""
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise ValidationError.single("encoding", f"'{encoding}' is not an encoding ARRS Desk knows.") from None
        try:
            return _checked(raw.decode(encoding), name, encoding, detected=False)
        except UnicodeDecodeError as exc:
            raise ValidationError.single(
                "encoding", f"{name} cannot be read as {label(encoding)} (byte {exc.start + 1} is not "
                            "valid in it). Choose another encoding.") from None
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            try:
                return _checked(raw.decode(codec), name, codec, detected=False)
            except UnicodeDecodeError:
                raise _not_text(name) from None
    try:
        return _checked(raw.decode("utf-8"), name, "utf-8", detected=False)
    except UnicodeDecodeError:
        pass
    utf16 = _utf16_without_mark(raw)
    if utf16:
        return _checked(raw.decode(utf16), name, utf16, detected=True)
    from charset_normalizer import from_bytes
    from charset_normalizer.md import mess_ratio

    best = from_bytes(raw[:DETECT_SAMPLE]).best()
    if best is None:
        raise _not_text(name)
    try:  # a short file fits many 8-bit encodings equally well: the UK's own wins a tie
        if mess_ratio(raw[:DETECT_SAMPLE].decode("cp1252"), 1.0) <= best.chaos + UK_TIE:
            return _checked(raw.decode("cp1252"), name, "cp1252", detected=True)
    except UnicodeDecodeError:
        pass
    try:
        return _checked(raw.decode(best.encoding), name, best.encoding, detected=True)
    except UnicodeDecodeError:  # the sample fitted, the rest does not: Windows-1252 is the UK's usual
        try:
            return _checked(raw.decode("cp1252"), name, "cp1252", detected=True)
        except UnicodeDecodeError:
            raise _not_text(name) from None


def _utf16_without_mark(raw: bytes) -> str | None:
    """UTF-16 without its mark: a zero in every other byte of mostly-ASCII text."""
    sample = raw[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    for zeros, codec in ((odd, "utf-16-le"), (even, "utf-16-be")):
        if zeros.count(0) > 0.6 * len(zeros):
            try:
                raw.decode(codec)
            except UnicodeDecodeError:
                continue
            return codec
    return None


def _checked(text: str, name: str, encoding: str, *, detected: bool) -> DecodedText:
    if "\x00" in text:
        raise _not_text(name)
    return DecodedText(text, encoding, detected)
