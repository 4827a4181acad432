"""Importing training attendance lists (danh sách học viên tập huấn), one row per attendee.

A course is (date, topic, organiser): the rows with the same three make one course (a course
already recorded with them gets the new attendees). The attendee is a member of the user's
scope, found by CCCD; their name must match (a wrong CCCD would credit someone else), and they
must hold an officer position in their CĐCS on the course's day (activities.rules, the rule
the service uses). An attendee already on the course is "unchanged". All or nothing, written
through `activities.services.course_record`, one call per course.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.core.exceptions import ValidationError

from activities.models import TrainingAttendance, TrainingCourse
from activities.rules import officer_on_day_problem
from activities.services import course_record, officers_on
from members.models import Member
from members.validators import clean_cccd
from unionportal.spreadsheets.cells import label_key, text

from ..base import Column, Processor

CourseKey = tuple[date, str, str]


class TrainingImport(Processor):
    kind = "training"
    title = "Danh sách học viên tập huấn"
    chunk_size = 5000
    columns = [
        Column("held_on", "Ngày tập huấn", help="dd/mm/yyyy.", example="15/03/2026", width=14),
        Column(
            "topic",
            "Chủ đề",
            help="Nội dung lớp tập huấn.",
            example="Kỹ năng thương lượng tập thể",
            width=32,
        ),
        Column(
            "organiser",
            "Đơn vị tổ chức",
            help="Đơn vị mở lớp.",
            example="LĐLĐ quận Thanh Xuân",
            width=24,
        ),
        Column(
            "cccd",
            "Số CCCD",
            help="12 chữ số của học viên (đoàn viên là cán bộ CĐCS). Cột định dạng Văn bản.",
            example="001090000001",
            text_format=True,
            width=16,
        ),
        Column("full_name", "Họ và tên", help="Để đối chiếu với số CCCD.", example="Nguyễn Văn An"),
    ]
    sample_columns = ["held_on", "topic", "cccd", "full_name"]
    template_example_skipped = True

    @classmethod
    def allowed(cls, scope) -> bool:
        return scope.can_write_registers

    def prepare(self) -> None:
        self.scope_hint = " trong đơn vị của bạn" if self.scope.is_district else ""

    def check_chunk(self, rows):
        parsed: list[tuple[int, CourseKey, str, str]] = []
        for number, values in rows:
            get = self.getter(values)
            held_on = self.past_day(number, "held_on", get("held_on"), "Ngày tập huấn")
            topic, organiser = text(get("topic")), text(get("organiser"))
            ok = held_on is not None
            ok &= self.required_text(number, "topic", topic, "chủ đề", 200)
            ok &= self.required_text(number, "organiser", organiser, "đơn vị tổ chức", 200)
            name = text(get("full_name"))
            ok &= self.required_text(number, "full_name", name, "họ và tên", 120)
            try:
                cccd = clean_cccd(get("cccd"), in_file=True)
            except ValidationError as problem:
                self.error(number, "cccd", problem.messages[0])
                ok = False
                cccd = ""
            if ok:
                assert held_on is not None
                parsed.append((number, (held_on, topic, organiser), cccd, name))
        plan: dict[CourseKey, list[Member]] = defaultdict(list)
        if not parsed:
            return plan
        members = {
            m.cccd: m
            for m in Member.objects.for_user(self.user)
            .filter(cccd__in={cccd for *_, cccd, _ in parsed})
            .select_related("grassroots")
        }
        courses = {
            (c.held_on, c.topic, c.organiser): c.pk
            for c in TrainingCourse.objects.filter(held_on__in={k[0] for _, k, *_ in parsed})
        }
        attended = set(
            TrainingAttendance.objects.filter(course_id__in=courses.values()).values_list(
                "course_id", "member__cccd"
            )
        )
        officers_by_day: dict[date, set[int]] = {}
        for held_on in {k[0] for _, k, *_ in parsed}:
            officers_by_day[held_on] = officers_on(members.values(), held_on)
        for number, key, cccd, name in parsed:
            member = members.get(cccd)
            if member is None:
                self.error(number, "cccd", f"Không có đoàn viên số CCCD {cccd}{self.scope_hint}.")
                continue
            if label_key(member.full_name) != label_key(name):
                self.error(
                    number,
                    "full_name",
                    f"Số CCCD {cccd} là của đoàn viên {member.full_name}, không phải {name}.",
                )
                continue
            if not self.first_row(number, (key, cccd), "cccd", f"Học viên {cccd} của lớp này"):
                continue
            not_officer = officer_on_day_problem(
                member.pk in officers_by_day[key[0]], member.grassroots.code, key[0]
            )
            if not_officer:
                self.error(number, "cccd", not_officer)
                continue
            sample = [f"{key[0]:%d/%m/%Y}", key[1], cccd, member.full_name]
            if (courses.get(key), cccd) in attended:
                self.counts.unchanged += 1
                self.samples.add("unchanged", number, sample)
                continue
            plan[key].append(member)
            self.counts.new += 1
            self.samples.add("new", number, sample)
        return plan

    def write_chunk(self, plan) -> None:
        for (held_on, topic, organiser), attendees in plan.items():
            course_record(
                user=self.user,
                held_on=held_on,
                topic=topic,
                organiser=organiser,
                attendees=attendees,
            )
