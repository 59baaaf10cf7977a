from kaari.lib.text import text_normalise


def test_accents_and_case_fold_away_so_plain_ascii_finds_finnish_names():
    assert text_normalise("Åhlström") == "ahlstrom"
    assert text_normalise("JÄRVI") == "jarvi"
    assert text_normalise("Öhman-Ääri") == "ohman-aari"


def test_whitespace_runs_collapse_and_the_ends_are_trimmed():
    assert text_normalise("  Anna \t Maria  ") == "anna maria"


def test_letters_without_a_decomposition_keep_their_folded_form():
    assert text_normalise("Straße") == "strasse"
    assert text_normalise("Øster") == "øster"


def test_case_folding_that_adds_a_combining_mark_loses_it_too():
    assert text_normalise("İlkka") == "ilkka"
