"""The QĐ 766/QĐ-TTg score, computed locally (docs/reports.md "QĐ 766"): one class per indicator in
``indicators.py``, registered in ``base.REGISTRY``; ``score.py`` adds them up per group and in total."""
