from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "tongchou.documents"
    label = "documents"
    verbose_name = "公文与表格"
