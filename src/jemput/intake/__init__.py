"""Reading offices' files in: any spreadsheet, a report per problem, all or nothing."""
