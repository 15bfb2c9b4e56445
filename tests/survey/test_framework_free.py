"""The survey package is framework-free: importing and using it loads no Django module."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def test_survey_package_runs_without_django(tmp_path):
    script = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from datetime import date
        from giamngheo.survey import classify_file, resolve_standard
        source = Path({str(tmp_path / "in.csv")!r})
        source.write_text("ma_ho,khu_vuc,thu_nhap_binh_quan,tiep_can_dich_vu_y_te,bao_hiem_y_te,"
                          "giao_duc_nguoi_lon,tre_em_di_hoc,chat_luong_nha_o,dien_tich_nha_o,"
                          "nguon_nuoc_sinh_hoat,nha_tieu_hop_ve_sinh,dich_vu_vien_thong,"
                          "tai_san_tiep_can_thong_tin\\nH1,nong_thon,500000\\n", encoding="utf-8")
        report = classify_file(source, source.with_name("out.xlsx"), standard=resolve_standard(None, today=date(2020, 1, 1)))
        print(report.results[0].poverty_class.value)
        print(sorted(m for m in sys.modules if m == "django" or m.startswith("django.")))
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:2] == ["ngheo", "[]"]
