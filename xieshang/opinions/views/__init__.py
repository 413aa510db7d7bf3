"""Opinion-report pages under /c/<council_slug>/opinions/."""
