"""The public search's LIKE patterns: folded, and short syllables kept with their neighbour."""

from tinhso.petitions.selectors import search_patterns


def test_short_syllables_are_searched_with_their_neighbour():
    assert search_patterns("Giấy xác nhận cư trú") == ["giay", "xac", "nhan", "cu tru"]
    assert search_patterns("hộ kinh doanh") == ["ho kinh", "doanh"]
    assert search_patterns("đường  ở") == ["duong o"]
    assert search_patterns("") == [] and search_patterns("a") == ["a"]
