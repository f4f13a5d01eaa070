from typing import Any

app_name = "intake"
urlpatterns: list[Any] = []
