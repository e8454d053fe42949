"""The certificate PDF of a module completion (reportlab), for continuing-education portfolios."""

import io

from django.utils import timezone
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from learning.models import Completion


def certificate_pdf(*, completion: Completion, verify_url: str) -> bytes:
    """One landscape page: who, which module and version, when, estimated hours, and where to verify."""
    module = completion.module
    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    pdf.setTitle(f"Certificate: {module.title} v{completion.module_version}")
    pdf.setAuthor("Advocacy Portal learning centre")
    pdf.setStrokeColorRGB(0.1, 0.35, 0.55)
    pdf.setLineWidth(3)
    pdf.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    centre = width / 2
    pdf.setFont("Helvetica", 14)
    pdf.drawCentredString(centre, height - 45 * mm, "Advocacy Portal learning centre")
    pdf.setFont("Helvetica-Bold", 30)
    pdf.drawCentredString(centre, height - 65 * mm, "Certificate of completion")
    pdf.setFont("Helvetica", 14)
    pdf.drawCentredString(centre, height - 85 * mm, "This certifies that")
    pdf.setFont("Helvetica-Bold", 22)
    pdf.drawCentredString(centre, height - 100 * mm, completion.clinician.public_name or str(completion.clinician))
    pdf.setFont("Helvetica", 14)
    pdf.drawCentredString(centre, height - 115 * mm, "completed the module")
    pdf.setFont("Helvetica-Bold", 18)
    pdf.drawCentredString(centre, height - 128 * mm, f"{module.title} (version {completion.module_version})")
    pdf.setFont("Helvetica", 13)
    completed_on = timezone.localtime(completion.completed_at).strftime("%d %B %Y")
    pdf.drawCentredString(
        centre, height - 143 * mm, f"on {completed_on}: estimated {module.estimated_hours} hours of learning"
    )
    pdf.setFont("Helvetica", 10)
    pdf.drawCentredString(centre, 30 * mm, f"Certificate {completion.public_id}")
    if completion.is_public:
        pdf.drawCentredString(centre, 24 * mm, f"Verify at {verify_url}")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
