from django.apps import AppConfig


class BenchmarksConfig(AppConfig):
    """Benchmarks and the national data generator: the only app allowed to import every
    domain app for load tests (core knows no domain)."""

    name = "noichinh.benchmarks"
    label = "benchmarks"
    verbose_name = "Benchmarks"
