"""Atomic writes and the suite's status lines."""

from __future__ import annotations

import logging

from pairsim_utils.files import write_bytes_atomic, write_text_atomic


def test_atomic_write_replaces_the_file_and_leaves_nothing_else(tmp_path):
    target = tmp_path / "table.csv"
    write_text_atomic(target, "a,b\n")
    write_bytes_atomic(target, b"c,d\n")
    assert target.read_text() == "c,d\n" and [p.name for p in tmp_path.iterdir()] == ["table.csv"]


def test_status_lines_are_shown_once_and_can_be_silenced(capsys):
    from pairsim_utils.reproducibility import STATUS_HANDLER, show_status_lines

    logger = logging.getLogger("pairsim_utils")
    before = list(logger.handlers)
    logger.handlers[:] = [h for h in before if h.get_name() != STATUS_HANDLER]  # one bound to this test's stdout
    try:
        show_status_lines()
        show_status_lines()
        logging.getLogger("pairsim_utils.runs").info("Reusing the finished run")
        assert capsys.readouterr().out == "Reusing the finished run\n"
        logger.setLevel(logging.WARNING)  # how a caller silences them
        logging.getLogger("pairsim_utils.runs").info("Reusing the finished run")
        assert capsys.readouterr().out == ""
    finally:
        logger.handlers[:] = before
        logger.setLevel(logging.NOTSET)
