"""Numbers in the reader's locale (core.i18n.numbers), checked against how each language writes them."""
import pytest

from core.i18n.numbers import compact, decimal, integer, percent, times


@pytest.mark.parametrize("fn, value, en, pt", [
    (integer, 27_161_264, "27,161,264", "27.161.264"),
    (compact, 58_600_000, "58.6 M", "58,6 M"),
    (compact, 4_200, "4.2 k", "4,2 k"),
    (times, 1.8123, "1.81×", "1,81×"),
    (percent, 0.8412, "84.1%", "84,1 %"),
    (decimal, 1234.5, "1,234.50", "1.234,50"),
    (percent, None, "-", "-"),
])
def test_each_language_writes_numbers_its_own_way(fn, value, en, pt):
    assert fn(value, "en") == en and fn(value, "pt") == pt
