"""Date formats per language (settings.FORMAT_MODULE_PATH): day/month/year in Vietnamese and in English alike,
because officers read and write dates as 02/12/2026 whatever the language of the page.

Left to Django's own formats, English pages would show "Dec. 2, 2026" and forms would read 05/03/2024 as 3 May;
Vietnamese pages would show "Ngày 02 tháng 12 năm 2026" and 02-12-2026. Both languages import the one set in
`shared`; a format not set there (numbers, for instance) falls through to Django's formats for the language.
"""
