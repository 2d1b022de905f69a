"""The guided troubleshooter: "my internet is down", "my internet is slow", "my TV has no
picture". ``flows`` decides the next step (pure), ``running`` starts, answers and ends
runs (running the real restart), ``queries`` reads them within an account, ``words``
says every step in English or Spanish."""
