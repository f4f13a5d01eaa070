"""English interface keeps day-first dates so that both languages read the same records alike."""

DATE_FORMAT = "j/n/Y"
SHORT_DATE_FORMAT = "j/n/Y"
DATETIME_FORMAT = "j/n/Y H:i"
SHORT_DATETIME_FORMAT = "j/n/Y H:i"
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = ["%d/%m/%Y %H:%M", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
