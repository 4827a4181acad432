from django.apps import AppConfig


class BenchmarksConfig(AppConfig):
    """Benchmark commands (bench_import, bench_export, bench_dashboard) and their data builders.
    Installed by the local and test settings only, never in production."""

    name = "benchmarks"
    verbose_name = "Đo hiệu năng"
