"""Reviews and appraisal: the due list, a person's reviews, the review editor and appraisal packs."""
