from typing import Any

app_name = "inbox"
urlpatterns: list[Any] = []
