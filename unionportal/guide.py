"""The user guide inside the portal ("Hướng dẫn"): one short page per everyday task.

Plain templates (templates/guide/<slug>.html), readable without logging in (they hold no data),
linked from every page's menu and footer.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.utils.decorators import method_decorator
from django.views.generic import TemplateView


@dataclass(frozen=True)
class Topic:
    slug: str
    title: str
    who: str  # the role that does it, as users name it


TOPICS = [
    Topic("thanh-lap-cdcs", "Thành lập công đoàn cơ sở", "Cán bộ công đoàn cấp trên cơ sở"),
    Topic("ket-nap", "Kết nạp, chuyển và ra khỏi công đoàn", "Cán bộ công đoàn cấp trên cơ sở"),
    Topic("nhap-du-lieu", "Nhập dữ liệu từ file Excel", "Cán bộ cấp trên cơ sở, quản trị"),
    Topic("bang-tien-do", "Đọc bảng tiến độ", "Cán bộ LĐLĐ và cán bộ cấp trên cơ sở"),
    Topic("chi-tieu", "Giao chỉ tiêu năm", "Cán bộ LĐLĐ tỉnh/thành phố"),
    Topic("phuong-an-sap-xep", "Phương án sắp xếp tổ chức", "Cán bộ LĐLĐ tỉnh/thành phố, quản trị"),
    Topic(
        "bao-cao-ky",
        "Báo cáo kỳ, duyệt và khóa sổ",
        "Cán bộ công đoàn cấp trên cơ sở, cán bộ LĐLĐ",
    ),
    Topic(
        "du-dia",
        "Dư địa: vận động doanh nghiệp thành lập CĐCS",
        "Cán bộ công đoàn cấp trên cơ sở, cán bộ LĐLĐ",
    ),
    Topic(
        "hoat-dong",
        "Tập huấn, Đảng, thỏa ước, sổ hỗ trợ, CĐCS yếu kém",
        "Cán bộ công đoàn cấp trên cơ sở, cán bộ LĐLĐ",
    ),
]
BY_SLUG = {topic.slug: topic for topic in TOPICS}


@method_decorator(login_not_required, name="dispatch")
class GuideIndexView(TemplateView):
    template_name = "guide/index.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(topics=TOPICS, **kwargs)


@method_decorator(login_not_required, name="dispatch")
class GuideTopicView(TemplateView):
    def get_template_names(self):
        return [f"guide/{self.topic.slug}.html"]

    def get(self, request, *args, slug: str, **kwargs):
        topic = BY_SLUG.get(slug)
        if topic is None:
            raise Http404
        self.topic = topic
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(topic=self.topic, topics=TOPICS, **kwargs)
