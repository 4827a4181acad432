# The import jobs moved from the members app to their own app: state only, the table
# (members_importjob) stays as it is.

import django.db.models.deletion
import imports.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('grassroots', '0002_search_indexes'),
        ('members', '0005_prune_redundant_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ImportJob',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('units', 'Đơn vị'), ('grassroots', 'Công đoàn cơ sở'), ('members', 'Đoàn viên'), ('targets', 'Chỉ tiêu năm')], max_length=20, verbose_name='loại dữ liệu')),
                        ('source', models.CharField(choices=[('web', 'Trang web'), ('command', 'Dòng lệnh')], default='web', max_length=10)),
                        ('file', models.FileField(blank=True, max_length=255, upload_to=imports.models.upload_to)),
                        ('original_name', models.CharField(max_length=255, verbose_name='tên file')),
                        ('size', models.PositiveBigIntegerField(default=0, verbose_name='dung lượng')),
                        ('status', models.CharField(choices=[('checking', 'Đang kiểm tra'), ('checked', 'Hợp lệ, chờ xác nhận'), ('invalid', 'Có lỗi, chưa ghi gì'), ('queued', 'Đang chờ ghi'), ('running', 'Đang ghi'), ('done', 'Đã nhập xong'), ('failed', 'Gặp sự cố, chưa ghi gì')], default='checking', max_length=10, verbose_name='trạng thái')),
                        ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='tải lên lúc')),
                        ('started_at', models.DateTimeField(blank=True, null=True, verbose_name='bắt đầu')),
                        ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='kết thúc')),
                        ('rows', models.PositiveIntegerField(default=0, verbose_name='số dòng')),
                        ('new', models.PositiveIntegerField(default=0, verbose_name='mới')),
                        ('updated', models.PositiveIntegerField(default=0, verbose_name='cập nhật')),
                        ('unchanged', models.PositiveIntegerField(default=0, verbose_name='không đổi')),
                        ('invalid', models.PositiveIntegerField(default=0, verbose_name='dòng lỗi')),
                        ('error_count', models.PositiveIntegerField(default=0, verbose_name='số lỗi')),
                        ('errors', models.JSONField(blank=True, default=list, verbose_name='lỗi')),
                        ('notices', models.JSONField(blank=True, default=list, verbose_name='ghi chú')),
                        ('samples', models.JSONField(blank=True, default=dict, verbose_name='dòng mẫu')),
                        ('phase', models.CharField(default='check', max_length=10)),
                        ('message', models.TextField(blank=True, verbose_name='thông báo')),
                        ('task_id', models.CharField(blank=True, max_length=64)),
                        ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='số lần chạy')),
                        ('district_union', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='grassroots.districtunion')),
                        ('federation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='grassroots.federation')),
                        ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người nhập')),
                    ],
                    options={
                        'verbose_name': 'lần nhập dữ liệu',
                        'verbose_name_plural': 'lịch sử nhập dữ liệu',
                        'ordering': ['-created_at', '-pk'],
                        'db_table': 'members_importjob',
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
