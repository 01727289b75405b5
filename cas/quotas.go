package cas

// Quotas are the IAM file's quota names the catalog enforces.
var Quotas = []string{QuotaCertificates}
