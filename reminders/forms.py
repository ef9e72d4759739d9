from django import forms


class PreferenceForm(forms.Form):
    enabled = forms.BooleanField(
        label="รับอีเมลแจ้งเตือน",
        required=False,
        help_text="เช่น มาตรการที่ใกล้ถึงกำหนดรายงานผลหรือเลยกำหนด ผลการดำเนินการที่รอตรวจ "
        "และสรุปความคืบหน้าประจำสัปดาห์ ตามบทบาทของท่าน",
    )
