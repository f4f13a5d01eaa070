"""Vietnamese formats used across the product: 25/5/2021, 8.651, 115,4."""

DATE_FORMAT = "j/n/Y"
SHORT_DATE_FORMAT = "j/n/Y"
DATETIME_FORMAT = "j/n/Y H:i"
SHORT_DATETIME_FORMAT = "j/n/Y H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = r"\t\h\á\n\g n/Y"
MONTH_DAY_FORMAT = "j/n"
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = ["%d/%m/%Y %H:%M", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
FIRST_DAY_OF_WEEK = 1
