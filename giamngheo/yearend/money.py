"""The year-end summary's money sections: the programme's funds by capital type, source and project with their
disbursement (`programme.selectors.funds_summary`), the social-policy bank's lending (`credit.selectors`) and the
houses and other support households received (`support.selectors`)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.http import urlencode

from giamngheo.areas.models import AdminUnit
from giamngheo.credit.selectors import credit_summary
from giamngheo.programme.selectors import funds_summary
from giamngheo.support.models import HousingStage, HousingWork
from giamngheo.support.selectors import support_summary
from giamngheo.yearend.figures import (
    COUNT,
    HOUSEHOLDS,
    HOUSES,
    LOANS,
    MONEY,
    PERCENT,
    Chart,
    Figure,
    Section,
    Sentence,
    Table,
)

_CAPITAL_KEYS = {"dau_tu_phat_trien": "investment", "thuong_xuyen": "recurrent"}
_SOURCE_KEYS = {"ngan_sach_trung_uong": "central", "ngan_sach_dia_phuong": "local", "huy_dong_khac": "other"}


def _link(name: str, area: AdminUnit, year: int, **extra: str) -> str:
    return f"{reverse(name)}?{urlencode({'area': str(area.pk), 'nam': str(year), **extra})}"


def funds_section(area: AdminUnit, year: int) -> tuple[Section, list[Figure], bool]:
    funds = funds_summary(area, year)
    link = _link("web:programme", area, year)
    allocated, disbursed = funds.allocated, funds.disbursed
    figures = [
        Figure("funds.allocated", allocated.total, MONEY, f"Vốn chương trình giao cho địa bàn năm {year}", link),
        Figure("funds.carried_in", funds.carried_in.total, MONEY, f"Vốn năm trước chuyển sang năm {year}", link),
        Figure("funds.available", funds.available, MONEY, "Vốn giao trong năm và vốn năm trước chuyển sang", link),
        Figure("funds.disbursed", disbursed.total, MONEY, f"Vốn đã giải ngân trong năm {year}", link),
        Figure("funds.disbursement_rate", funds.disbursement_rate.percent, PERCENT,
               "Vốn đã giải ngân trên vốn giao trong năm và vốn chuyển sang", link,
               of=("funds.disbursed", "funds.available")),
    ]  # fmt: skip
    capital_parts = []
    for line in allocated.by_capital_type:
        key = f"funds.capital.{_CAPITAL_KEYS.get(line.code, line.code)}"
        figures.append(Figure(key, line.amount, MONEY, f"{line.label} giao năm {year}", link))
        capital_parts.append(f"{line.label.lower()} {{{key}}} triệu đồng")
    for line in allocated.by_source:
        key = f"funds.source.{_SOURCE_KEYS.get(line.code, line.code)}"
        figures.append(Figure(key, line.amount, MONEY, f"Vốn năm {year} từ {line.label.lower()}", link))
    spent = {line.code: line.amount for line in disbursed.by_project}
    rows = []
    labels, given, paid = [], [], []
    for line in allocated.by_project:
        key = f"funds.project.{line.code}"
        allocated_figure = Figure(
            key, line.amount, MONEY, f"Vốn năm {year} của {line.code}: {line.label}", link
        )
        paid_figure = Figure(f"{key}.disbursed", spent.get(line.code, 0), MONEY,
                             f"Vốn đã giải ngân năm {year} của {line.code}", link)  # fmt: skip
        figures += [allocated_figure, paid_figure]
        rows.append((f"{line.code}: {line.label}", allocated_figure, paid_figure))
        labels.append(line.code)
        given.append(allocated_figure)
        paid.append(paid_figure)
    section = Section(key="funds", title="Nguồn vốn và giải ngân Chương trình")
    if allocated.total or funds.carried_in.total:
        projects = "; ".join(line.label.lower() for line in allocated.by_project)
        sentences = [
            Sentence(
                f"Trong năm {year}, địa bàn được phân bổ {{funds.allocated}} triệu đồng để thực hiện Chương trình, "
                f"gồm {' và '.join(capital_parts)}, để triển khai các dự án: {projects}."
            ),
            Sentence(
                "Đến hết năm, đã giải ngân {funds.disbursed} triệu đồng, đạt {funds.disbursement_rate} % của "
                "{funds.available} triệu đồng vốn giao trong năm và vốn năm trước chuyển sang."
            ),
        ]
        section.paragraphs.append(sentences)
        section.tables.append(Table(title="Vốn theo dự án (triệu đồng)", columns=("Dự án", "Vốn giao", "Đã giải ngân"),
                                    rows=tuple(rows)))  # fmt: skip
        section.charts.append(Chart(title="Vốn giao và đã giải ngân theo dự án (triệu đồng)", labels=tuple(labels),
                                    series=(("Vốn giao", tuple(given)), ("Đã giải ngân", tuple(paid)))))  # fmt: skip
    else:
        section.notes.append(f"Chưa có khoản vốn nào của năm {year} được ghi trong hệ thống.")
    return section, figures, True


def credit_section(area: AdminUnit, year: int) -> tuple[Section, list[Figure], bool]:
    credit = credit_summary(area, year)
    link = _link("web:credit", area, year)
    total = credit.total
    # The day the figures run to: the latest day of the bank's reports counted, else the end of the year.
    reported = [cell.bank_as_of for cell in credit.cells if cell.bank_as_of is not None]
    until = f"{max(reported, default=credit.end):%d/%m/%Y}"
    source = {"bank": "theo báo cáo của Ngân hàng Chính sách xã hội", "loans": "theo các khoản vay đã ghi",
              "mixed": "theo báo cáo của ngân hàng và các khoản vay đã ghi", "none": ""}.get(credit.source, "")  # fmt: skip
    figures = [
        Figure("credit.disbursed", total.disbursed, MONEY, f"Doanh số cho vay từ 01/01 đến {until}, {source}", link),
        Figure("credit.loans", total.loans, LOANS, f"Lượt hộ vay từ 01/01 đến {until}, {source}", link),
        Figure("credit.households", total.households, HOUSEHOLDS, f"Hộ còn dư nợ ngày {credit.as_of:%d/%m/%Y}", link),
        Figure("credit.outstanding", total.outstanding, MONEY, f"Dư nợ ngày {credit.as_of:%d/%m/%Y}, {source}", link),
        Figure("credit.overdue", total.overdue, MONEY, f"Nợ quá hạn ngày {credit.as_of:%d/%m/%Y}", link),
    ]  # fmt: skip
    rows = []
    for line in credit.lines:
        if not (line.figures.disbursed or line.figures.outstanding):
            continue
        lent = Figure(f"credit.programme.{line.programme}.disbursed", line.figures.disbursed, MONEY,
                      f"Doanh số cho vay {line.name.lower()}", link)  # fmt: skip
        count = Figure(f"credit.programme.{line.programme}.loans", line.figures.loans, LOANS,
                       f"Lượt hộ vay {line.name.lower()}", link)  # fmt: skip
        balance = Figure(f"credit.programme.{line.programme}.outstanding", line.figures.outstanding, MONEY,
                         f"Dư nợ {line.name.lower()}", link)  # fmt: skip
        figures += [lent, count, balance]
        rows.append((line.name, lent, count, balance))
    section = Section(key="credit", title="Tín dụng chính sách")
    if total.disbursed or total.outstanding:
        section.paragraphs.append([
            Sentence(f"Ngân hàng Chính sách xã hội cho vay trên địa bàn tính đến {until} là {{credit.disbursed}} "
                     "triệu đồng với {credit.loans} lượt hộ vay."),
            Sentence("Tổng dư nợ là {credit.outstanding} triệu đồng, trong đó nợ quá hạn {credit.overdue} triệu đồng."),
        ])  # fmt: skip
        section.tables.append(Table(title="Cho vay theo chương trình",
                                    columns=("Chương trình", "Doanh số (triệu đồng)", "Lượt vay", "Dư nợ (triệu đồng)"),
                                    rows=tuple(rows)))  # fmt: skip
    else:
        section.notes.append(f"Chưa có số liệu cho vay năm {year} trong hệ thống.")
    return section, figures, True


def support_section(area: AdminUnit, year: int) -> tuple[Section, list[Figure], bool]:
    support = support_summary(area, year)
    link = _link("web:support-overview", area, year)
    completed = support.houses(HousingStage.COMPLETED)
    new = support.houses(HousingStage.COMPLETED, HousingWork.NEW_BUILD)
    repaired = support.houses(HousingStage.COMPLETED, HousingWork.REPAIR)
    figures = [
        Figure("support.houses", completed.houses, HOUSES, f"Nhà ở cho hộ nghèo, cận nghèo hoàn thành năm {year}", link),
        Figure("support.houses.new_build", new.houses, HOUSES, f"Nhà xây mới hoàn thành năm {year}", link),
        Figure("support.houses.repair", repaired.houses, HOUSES, f"Nhà sửa chữa hoàn thành năm {year}", link),
        Figure("support.houses.mobilised", completed.funding.mobilised, MONEY,
               "Vốn huy động, cộng đồng của các nhà ở hoàn thành trong năm", link),
        Figure("support.houses.state_budget", completed.funding.state_budget, MONEY,
               "Ngân sách nhà nước của các nhà ở hoàn thành trong năm", link),
        Figure("support.households", support.households, HOUSEHOLDS, f"Hộ được hỗ trợ trong năm {year}", link),
    ]  # fmt: skip
    rows = []
    for kind in support.kinds:
        if not kind.events:
            continue
        events = Figure(
            f"support.kind.{kind.code}.events", kind.events, COUNT, f"Lượt hỗ trợ «{kind.name}»", link
        )
        households = Figure(f"support.kind.{kind.code}.households", kind.households, HOUSEHOLDS,
                            f"Hộ được hỗ trợ «{kind.name}»", link)  # fmt: skip
        figures += [events, households]
        rows.append((kind.name, events, households))
    section = Section(key="support", title="Hỗ trợ nhà ở và các chính sách khác")
    sentences = []
    if completed.houses:
        sentences.append(Sentence(
            "Các ngành, đoàn thể và xã đã hỗ trợ xây mới và sửa chữa {support.houses} căn nhà cho hộ nghèo "
            "({support.houses.new_build} căn xây mới, {support.houses.repair} căn sửa chữa), trong đó vốn huy động "
            "từ các tổ chức, cá nhân {support.houses.mobilised} triệu đồng."
        ))  # fmt: skip
    else:
        section.notes.append(f"Chưa có nhà ở nào hoàn thành năm {year} được ghi trong hệ thống.")
    if rows:
        sentences.append(Sentence("Trong năm, {support.households} hộ được hỗ trợ theo các chính sách."))
        section.tables.append(
            Table(title="Hỗ trợ theo loại", columns=("Loại hỗ trợ", "Lượt", "Số hộ"), rows=tuple(rows))
        )
    section.paragraphs.append(sentences)
    return section, figures, True
