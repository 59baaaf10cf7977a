from kaari.lib.memo import short_text_memo


def counting_upper():
    calls: list[str] = []

    @short_text_memo(maxsize=8, length=5)
    def upper(text: str) -> str:
        """Upper-cases."""
        calls.append(text)
        return text.upper()

    return upper, calls


def test_a_short_text_is_computed_once_and_then_remembered():
    upper, calls = counting_upper()
    assert [upper("abc"), upper("abc"), upper("abc")] == ["ABC", "ABC", "ABC"]
    assert calls == ["abc"]


def test_a_text_longer_than_the_bound_is_computed_every_time():
    upper, calls = counting_upper()
    assert [upper("abcdef"), upper("abcdef")] == ["ABCDEF", "ABCDEF"]
    assert calls == ["abcdef", "abcdef"]


def test_only_the_most_recent_texts_are_remembered():
    upper, calls = counting_upper()
    for index in range(9):
        upper(str(index))
    upper("0")
    assert calls == [*(str(i) for i in range(9)), "0"]


def test_the_remembered_function_keeps_its_name_and_docstring():
    upper, _ = counting_upper()
    assert upper.__name__ == "upper"
    assert upper.__doc__ == "Upper-cases."
